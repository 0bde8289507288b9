import '../manage-ops.css';
import type { PageProps } from '../page-props.ts';
import { SettingsForm } from '../settings/SettingsForm.tsx';
import { useSettings } from '../settings/use-settings.ts';
import { DataState } from '../ui/DataState.tsx';

/** Store settings and offline card limits; an owner may change them, a manager may read them (MGR-6). */
export function SettingsPage({ store, session }: PageProps) {
  const query = useSettings(store.id);
  const canEdit = session.manager.role === 'owner';
  return (
    <div className="m-page mo-page">
      <div className="m-page__head">
        <h1>Settings</h1>
      </div>
      {!canEdit && (
        <p className="m-card mo-note" data-testid="settings-read-only">
          Only an owner can change these settings. You are signed in as a manager, so they are shown read-only.
        </p>
      )}
      <DataState query={query}>
        {(loaded) => <SettingsForm key={loaded.storeId} loaded={loaded} canEdit={canEdit} />}
      </DataState>
    </div>
  );
}
