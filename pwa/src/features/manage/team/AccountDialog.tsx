import type { ManagerAccountRow, ManagerStore } from '@till/shared/core';
import { useState } from 'react';
import { FormField } from '../settings/FormField.tsx';
import { FormDialog } from '../ui/FormDialog.tsx';
import {
  type AccountDraft,
  accountChange,
  type DraftErrors,
  draftOfAccount,
  MAX_PASSWORD,
  NEW_ACCOUNT,
  newAccountRequest,
} from './account-form.ts';
import { PasswordInput } from './PasswordInput.tsx';
import { StoreAccessField } from './StoreAccessField.tsx';
import { accountErrorsOf } from './server-errors.ts';
import { useSaveAccount } from './use-save-account.ts';

/**
 * Adds an account (with an initial password the owner hands over in person) or changes one:
 * name, role, stores, active or disabled. The server's refusals are shown where they belong.
 */
export function AccountDialog({
  account,
  stores,
  isSelf,
  onClose,
}: {
  /** Null: a new account. */
  account: ManagerAccountRow | null;
  /** The stores the owner sees: every store of the tenant. */
  stores: ManagerStore[];
  /** The account is the signed-in owner's own. */
  isSelf: boolean;
  onClose: () => void;
}) {
  const save = useSaveAccount();
  const [draft, setDraft] = useState<AccountDraft>(() => (account ? draftOfAccount(account) : NEW_ACCOUNT));
  const [errors, setErrors] = useState<DraftErrors>({});
  const server = accountErrorsOf(save.error);
  const set = (change: Partial<AccountDraft>) => {
    setDraft((previous) => ({ ...previous, ...change }));
    // A field being fixed no longer shows its old problem.
    setErrors((previous) => Object.fromEntries(Object.entries(previous).filter(([field]) => !(field in change))));
  };
  const errorOf = (field: keyof DraftErrors) => errors[field] ?? server.fields[field];

  const submit = () => {
    save.reset();
    if (account === null) {
      const checked = newAccountRequest(draft);
      if (!checked.ok) return setErrors(checked.errors);
      setErrors({});
      save.mutate({ kind: 'create', account: checked.value }, { onSuccess: onClose });
    } else {
      const checked = accountChange(draft);
      if (!checked.ok) return setErrors(checked.errors);
      setErrors({});
      save.mutate({ kind: 'update', managerId: account.id, change: checked.value }, { onSuccess: onClose });
    }
  };

  return (
    <FormDialog
      title={account ? `Edit ${account.name}` : 'Add a manager'}
      testId="team-dialog"
      onClose={onClose}
      onSubmit={submit}
      submitLabel={account ? 'Save' : 'Add'}
      submitTestId="team-save"
      pending={save.isPending}
    >
      <FormField id="team-name" label="Name" error={errorOf('name')}>
        <input
          id="team-name"
          data-testid="team-name"
          autoComplete="off"
          maxLength={120}
          value={draft.name}
          onChange={(event) => set({ name: event.target.value })}
        />
      </FormField>
      {account === null ? (
        <FormField id="team-email" label="E-mail (they sign in with it)" error={errorOf('email')}>
          <input
            id="team-email"
            data-testid="team-email"
            type="email"
            autoComplete="off"
            maxLength={254}
            value={draft.email}
            onChange={(event) => set({ email: event.target.value })}
          />
        </FormField>
      ) : (
        <p>
          Signs in as <strong>{account.email}</strong>
        </p>
      )}
      <div className="m-field">
        <label htmlFor="team-role">Role</label>
        <select
          id="team-role"
          data-testid="team-role"
          value={draft.role}
          onChange={(event) => set({ role: event.target.value === 'owner' ? 'owner' : 'manager' })}
        >
          <option value="manager">Manager — runs the stores they are given</option>
          <option value="owner">Owner — also settings, card limits and the team</option>
        </select>
      </div>
      <StoreAccessField
        role={draft.role}
        allStores={draft.allStores}
        storeIds={draft.storeIds}
        stores={stores}
        error={errorOf('storeIds')}
        onChange={(access) => set(access)}
      />
      {account === null ? (
        <FormField
          id="team-password"
          label="First password"
          error={errorOf('password')}
          hint="At least 10 characters. Give it to them in person, not by e-mail, and ask them to change it after they first sign in (Team → Change your password)."
        >
          <PasswordInput
            id="team-password"
            value={draft.password}
            maxLength={MAX_PASSWORD}
            onChange={(password) => set({ password })}
          />
        </FormField>
      ) : (
        <label className="m-field m-field--check">
          <input
            type="checkbox"
            data-testid="team-active"
            checked={draft.status === 'active'}
            onChange={(event) => set({ status: event.target.checked ? 'active' : 'disabled' })}
          />
          Active — may sign in. Unticked, the account is disabled and signed out at once.
        </label>
      )}
      {isSelf && account !== null && (draft.role !== 'owner' || draft.status !== 'active') && (
        <p className="m-form__error" role="status">
          This is your own account: saving takes {draft.status === 'active' ? 'the owner role' : 'your access'} away
          from you.
        </p>
      )}
      {server.form && (
        <p className="m-form__error" role="alert" data-testid="team-error">
          {server.form}
        </p>
      )}
    </FormDialog>
  );
}
