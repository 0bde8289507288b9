import type { ManagerAccountRow, ManagerStore } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import type { StoreFormat } from '../ui/format.ts';
import { When } from '../ui/When.tsx';
import { storesLabel } from './account-form.ts';

/** The tenant's accounts: who, what they may do and see, whether they may sign in, when they last did. */
export function TeamTable({
  accounts,
  stores,
  selfId,
  store,
  now,
  busyId,
  onEdit,
  onSetPassword,
  onToggleStatus,
}: {
  accounts: ManagerAccountRow[];
  stores: ManagerStore[];
  selfId: string;
  /** For showing times (the store being looked at). */
  store: StoreFormat;
  now: number;
  /** The account whose status is being changed, if any. */
  busyId: string | null;
  onEdit: (account: ManagerAccountRow) => void;
  onSetPassword: (account: ManagerAccountRow) => void;
  onToggleStatus: (account: ManagerAccountRow) => void;
}) {
  return (
    <div className="m-table-wrap">
      <table className="m-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Stores</th>
            <th scope="col">Status</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">
              <span className="m-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => {
            const active = account.status === 'active';
            return (
              <tr
                key={account.id}
                data-testid={`team-row-${account.email}`}
                className={active ? undefined : 'mt-row--disabled'}
              >
                <th scope="row">
                  {account.name}
                  {account.id === selfId && <span className="m-muted"> (you)</span>}
                </th>
                <td className="m-mono">{account.email}</td>
                <td>{account.role === 'owner' ? 'Owner' : 'Manager'}</td>
                <td>
                  {account.allStores || account.storeIds.length > 0 ? (
                    storesLabel(account, stores)
                  ) : (
                    <Badge tone="warn" title="They can sign in but see nothing until given a store">
                      no store
                    </Badge>
                  )}
                </td>
                <td>{active ? <Badge tone="ok">active</Badge> : <Badge tone="neutral">disabled</Badge>}</td>
                <td>
                  <When iso={account.lastSignInAt} now={now} store={store} stacked />
                </td>
                <td>
                  <div className="mt-actions">
                    <button
                      type="button"
                      className="m-btn m-btn--small"
                      data-testid={`team-edit-${account.email}`}
                      onClick={() => onEdit(account)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="m-btn m-btn--small"
                      data-testid={`team-set-password-${account.email}`}
                      onClick={() => onSetPassword(account)}
                    >
                      Set password
                    </button>
                    {/* Your own account is disabled from its Edit dialog, which warns first. */}
                    {account.id !== selfId && (
                      <button
                        type="button"
                        className={`m-btn m-btn--small${active ? ' m-btn--danger' : ''}`}
                        data-testid={`team-disable-${account.email}`}
                        disabled={busyId === account.id}
                        title={active ? 'Signs them out at once; they cannot sign in until enabled again' : undefined}
                        onClick={() => onToggleStatus(account)}
                      >
                        {active ? 'Disable' : 'Enable'}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
