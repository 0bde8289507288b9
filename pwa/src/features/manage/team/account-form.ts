import type {
  ManagerAccountChange,
  ManagerAccountRow,
  ManagerRole,
  ManagerStatus,
  ManagerStore,
  NewManagerAccountRequest,
} from '@till/shared/core';

/**
 * The Team page's forms as plain functions: what an owner types, checked the way the server
 * checks it (MGR-14), so most mistakes are shown before anything is sent.
 */

/** The server's rule (passwordProblem): long enough to resist guessing, no composition rules. */
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200;

export interface AccountDraft {
  email: string;
  name: string;
  role: ManagerRole;
  /** Every store of the tenant; always true for an owner. */
  allStores: boolean;
  storeIds: string[];
  status: ManagerStatus;
  /** Only for a new account. */
  password: string;
}

export type AccountField = 'email' | 'name' | 'password' | 'storeIds';
export type DraftErrors = Partial<Record<AccountField, string>>;

export const NEW_ACCOUNT: AccountDraft = {
  email: '',
  name: '',
  role: 'manager',
  allStores: false,
  storeIds: [],
  status: 'active',
  password: '',
};

export function draftOfAccount(account: ManagerAccountRow): AccountDraft {
  return {
    email: account.email,
    name: account.name,
    role: account.role,
    allStores: account.allStores,
    storeIds: account.storeIds,
    status: account.status,
    password: '',
  };
}

/** What is wrong with a new password, or undefined. */
export function passwordError(password: string): string | undefined {
  if (password.length < MIN_PASSWORD) return `At least ${MIN_PASSWORD} characters`;
  if (password.length > MAX_PASSWORD) return `At most ${MAX_PASSWORD} characters`;
  return undefined;
}

function storeAccess(draft: AccountDraft): 'all' | string[] {
  // An owner manages every store (the server refuses a list for one).
  return draft.role === 'owner' || draft.allStores ? 'all' : draft.storeIds;
}

function commonErrors(draft: AccountDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.name.trim() === '') errors.name = 'Type their name';
  return errors;
}

type Checked<T> = { ok: true; value: T } | { ok: false; errors: DraftErrors };

function checked<T>(errors: DraftErrors, value: () => T): Checked<T> {
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: value() };
}

export function newAccountRequest(draft: AccountDraft): Checked<NewManagerAccountRequest> {
  const errors = commonErrors(draft);
  const email = draft.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'Type an e-mail address, like sam@example.com';
  const weak = passwordError(draft.password);
  if (weak !== undefined) errors.password = weak;
  return checked(errors, () => ({
    email,
    name: draft.name.trim(),
    role: draft.role,
    storeIds: storeAccess(draft),
    password: draft.password,
  }));
}

export function accountChange(draft: AccountDraft): Checked<ManagerAccountChange> {
  return checked(commonErrors(draft), () => ({
    name: draft.name.trim(),
    role: draft.role,
    storeIds: storeAccess(draft),
    status: draft.status,
  }));
}

/** The change that only enables or disables an account, keeping the rest as it is. */
export function statusChange(account: ManagerAccountRow, status: ManagerStatus): ManagerAccountChange {
  return { name: account.name, role: account.role, storeIds: account.allStores ? 'all' : account.storeIds, status };
}

/** "All stores", "Main Street, Riverside", "No store", by the names the owner sees. */
export function storesLabel(
  account: Pick<ManagerAccountRow, 'allStores' | 'storeIds'>,
  stores: ManagerStore[],
): string {
  if (account.allStores) return 'All stores';
  if (account.storeIds.length === 0) return 'No store';
  const names = account.storeIds.map((id) => stores.find((store) => store.id === id)?.name ?? 'another store');
  return names.join(', ');
}
