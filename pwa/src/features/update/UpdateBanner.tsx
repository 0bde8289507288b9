import { useTill } from '../../app/till-context.ts';
import { useUpdateState } from './use-update-state.ts';

/** "Update ready": applied between sales only, never mid-sale. */
export function UpdateBanner({ saleInProgress }: { saleInProgress: boolean }) {
  const { updater } = useTill();
  const state = useUpdateState();
  if (state === 'none') return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      <span>
        {state === 'applying'
          ? 'Updating…'
          : saleInProgress
            ? 'Update ready — it installs after this sale.'
            : 'Update ready — it installs after the next sale, or now.'}
      </span>
      <button
        type="button"
        className="button button-small"
        data-testid="update-now"
        disabled={saleInProgress || state === 'applying'}
        onClick={() => updater.apply()}
      >
        Update now
      </button>
    </div>
  );
}
