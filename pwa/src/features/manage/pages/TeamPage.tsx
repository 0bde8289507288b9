import type { ManagerAccountRow } from '@till/shared/core';
import { useState } from 'react';
import '../manage-ops.css';
import '../team/team.css';
import type { PageProps } from '../page-props.ts';
import { AccountDialog } from '../team/AccountDialog.tsx';
import { statusChange } from '../team/account-form.ts';
import { PasswordDialog } from '../team/PasswordDialog.tsx';
import { TeamTable } from '../team/TeamTable.tsx';
import { useAccounts } from '../team/use-accounts.ts';
import { useSaveAccount } from '../team/use-save-account.ts';
import { DataState } from '../ui/DataState.tsx';
import { errorMessage } from '../ui/errors.ts';
import { useNow } from '../ui/use-now.ts';

/**
 * The team (MGR-14): an owner adds managers, changes their role and stores, disables them and
 * sets passwords. Everyone else is told it is the owner's, and may change their own password.
 */
export function TeamPage({ session, store }: PageProps) {
  const isOwner = session.manager.role === 'owner';
  const accounts = useAccounts(isOwner);
  const toggle = useSaveAccount();
  const now = useNow();
  const [editing, setEditing] = useState<ManagerAccountRow | 'new' | null>(null);
  const [passwordFor, setPasswordFor] = useState<{ id: string; name: string } | null>(null);
  const self = session.manager;

  const passwordDialog = passwordFor && (
    <PasswordDialog account={passwordFor} isSelf={passwordFor.id === self.id} onClose={() => setPasswordFor(null)} />
  );

  if (!isOwner) {
    return (
      <div className="m-page mo-page">
        <div className="m-page__head">
          <h1>Team</h1>
        </div>
        <p className="m-card mo-note" data-testid="team-owner-only">
          Only an owner can manage the team. Ask an owner of {session.tenant.name} to add someone or change what they
          may see.
        </p>
        <div>
          <button
            type="button"
            className="m-btn"
            data-testid="team-change-own-password"
            onClick={() => setPasswordFor({ id: self.id, name: self.name })}
          >
            Change your password
          </button>
        </div>
        {passwordDialog}
      </div>
    );
  }

  return (
    <div className="m-page mo-page">
      <div className="m-page__head">
        <h1>Team</h1>
        <button type="button" className="m-btn m-btn--primary" data-testid="team-add" onClick={() => setEditing('new')}>
          Add a manager
        </button>
      </div>
      <p className="m-muted mo-note">
        Everyone who signs in to the console for {session.tenant.name}. Owners may do everything; managers run the
        stores they are given but cannot change settings, card limits or the team.
      </p>
      {toggle.isError && (
        <p className="m-form__error" role="alert" data-testid="team-error">
          {errorMessage(toggle.error)}
        </p>
      )}
      <DataState query={accounts} loading="Loading the team…">
        {(list) => (
          <div className="m-card m-card--flush">
            <TeamTable
              accounts={list}
              stores={session.stores}
              selfId={self.id}
              store={store}
              now={now}
              busyId={toggle.isPending && toggle.variables.kind === 'update' ? toggle.variables.managerId : null}
              onEdit={(account) => {
                toggle.reset();
                setEditing(account);
              }}
              onSetPassword={(account) => setPasswordFor({ id: account.id, name: account.name })}
              onToggleStatus={(account) =>
                toggle.mutate({
                  kind: 'update',
                  managerId: account.id,
                  change: statusChange(account, account.status === 'active' ? 'disabled' : 'active'),
                })
              }
            />
          </div>
        )}
      </DataState>
      {editing !== null && (
        <AccountDialog
          account={editing === 'new' ? null : editing}
          stores={session.stores}
          isSelf={editing !== 'new' && editing.id === self.id}
          onClose={() => setEditing(null)}
        />
      )}
      {passwordDialog}
    </div>
  );
}
