import type { ManagerSession, ManagerStore } from '@till/shared/core';
import { useSignOut } from '../session/use-sign-out.ts';
import { errorMessage } from '../ui/errors.ts';

const ROLE_NAMES = { owner: 'Owner', manager: 'Manager' } as const;

/** Brand, the store picker (when there is a choice), who is signed in, and Sign out. */
export function TopBar({
  session,
  store,
  onChooseStore,
  onSigningOut,
}: {
  session: ManagerSession;
  store: ManagerStore | null;
  onChooseStore: (storeId: string) => void;
  /** `true` just before the request (so the shell does not take it for an ended session), `false` if it failed. */
  onSigningOut: (active: boolean) => void;
}) {
  const signOut = useSignOut();
  return (
    <header className="m-topbar">
      <div className="m-topbar__brand">
        Till <span>· {session.tenant.name}</span>
      </div>
      {session.stores.length > 1 ? (
        <label>
          <span className="m-visually-hidden">Store</span>
          <select
            data-testid="manage-store"
            value={store?.id ?? ''}
            onChange={(event) => onChooseStore(event.target.value)}
          >
            {session.stores.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name} ({candidate.code})
              </option>
            ))}
          </select>
        </label>
      ) : (
        store && <div data-testid="manage-store">{store.name}</div>
      )}
      <div className="m-topbar__who" data-testid="manage-who">
        <strong>{session.manager.name}</strong>
        <small>{ROLE_NAMES[session.manager.role]}</small>
      </div>
      <button
        type="button"
        className="m-btn"
        data-testid="manage-signout"
        disabled={signOut.isPending}
        onClick={() => {
          onSigningOut(true);
          signOut.mutate(undefined, { onError: () => onSigningOut(false) });
        }}
      >
        {signOut.isPending ? 'Signing out…' : 'Sign out'}
      </button>
      {signOut.isError && (
        <p className="m-topbar__error" role="alert">
          Not signed out: {errorMessage(signOut.error)}
        </p>
      )}
    </header>
  );
}
