import type { ManagerAccountRow, ManagerRole, ManagerStatus, StoreInfo } from '@till/shared';
import type { AuditActor, ManagerContext } from './types.ts';

/**
 * Manager accounts, sessions and sign-in attempts. All of it lives in SQL (nothing that
 * matters is in one process's memory), so every instance agrees on who is signed in and on the
 * sign-in rate limit (MGR-1, MGR-2, MGR-4). Implemented in ../kysely/console/auth.ts.
 */
export interface ManagerAuthStore {
  /** The account for an e-mail (lower-cased), whatever its status. */
  findManagerByEmail(email: string): Promise<ManagerAccount | undefined>;
  /** Failed sign-ins since `since` for this e-mail and from this address, with the oldest of each. */
  recentLoginFailures(email: string, ip: string, since: string): Promise<LoginFailures>;
  recordLoginAttempt(attempt: { email: string; ip: string; at: string; succeeded: boolean }): Promise<void>;
  /** Stores the session (hashes only) and audits the sign-in, in one transaction. */
  createManagerSession(session: NewManagerSession): Promise<void>;
  /** A live session (not ended, not expired at `now`) with its manager, or undefined. */
  findManagerSession(tokenHash: string, now: string): Promise<ManagerSessionRecord | undefined>;
  /** Slides the idle expiry; a no-op when the session was touched less than a minute ago. */
  touchManagerSession(tokenHash: string, now: string, idleExpiresAt: string): Promise<void>;
  /** Ends a session (sign-out) and audits it, in one transaction. */
  endManagerSession(tokenHash: string, actor: AuditActor, now: string): Promise<void>;
  /** The stores a manager may see (all of the tenant's, or their list), by name. */
  managerStores(manager: Pick<ManagerContext, 'tenantId' | 'allStores' | 'storeIds'>): Promise<StoreInfo[]>;
  /**
   * A store of the manager's tenant that the manager may see, or undefined — the same answer
   * for another tenant's store, a store not on their list and an id that does not exist (I10).
   */
  findConsoleStore(manager: ManagerContext, storeId: string): Promise<StoreInfo | undefined>;
  /** Creates an account (password already hashed), audited when `actor` is given. */
  createManager(account: NewManagerAccount, actor: AuditActor | null): Promise<void>;

  // The Team page (MGR-14): an owner manages the accounts of their own tenant. The tenant is
  // always the actor's, so an id of another tenant reaches nothing and reads as absent (I10).

  /** The actor's tenant's accounts by name, with their stores and last sign-in. */
  tenantManagers(actor: AuditActor): Promise<ManagerAccountRow[]>;
  /**
   * Adds an account to the actor's tenant, audited `manager.create` (never the password), in one
   * transaction — unless the e-mail is taken (by any tenant) or a store is not the tenant's.
   */
  addTenantManager(account: TenantAccountInput, actor: AuditActor): Promise<AccountChange>;
  /**
   * Changes an account of the actor's tenant, audited `manager.update` with before and after.
   * Refused when it would leave the tenant without an active owner. Disabling ends the account's
   * live sessions in the same transaction. Saving it unchanged writes (and audits) nothing.
   */
  changeTenantManager(change: TenantAccountChange, actor: AuditActor): Promise<AccountChange>;
  /**
   * Replaces an account's password and ends its live sessions but `keepSessionHash` (the
   * caller's own), audited `manager.password` (never the password). False when no such account.
   */
  setTenantManagerPassword(
    input: { managerId: string; passwordHash: string; keepSessionHash: string; now: string },
    actor: AuditActor,
  ): Promise<boolean>;
}

/** A new account of the actor's tenant (password already hashed). */
export interface TenantAccountInput {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  role: ManagerRole;
  passwordHash: string;
  allStores: boolean;
  storeIds: string[];
  now: string;
}

export interface TenantAccountChange {
  managerId: string;
  name: string;
  role: ManagerRole;
  status: ManagerStatus;
  allStores: boolean;
  storeIds: string[];
  now: string;
}

export type AccountChange =
  | { kind: 'saved'; account: ManagerAccountRow }
  | { kind: 'not_found' }
  | { kind: 'email_taken' }
  /** Ids that are not stores of the tenant: unknown, or another tenant's — told apart for nobody (I10). */
  | { kind: 'unknown_stores'; storeIds: string[] }
  /** The change would leave the tenant without an active owner. */
  | { kind: 'last_owner' };

export interface ManagerAccount {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: ManagerRole;
  passwordHash: string;
  status: 'active' | 'disabled';
}

export interface LoginFailures {
  byEmail: number;
  byIp: number;
  oldestByEmail: string | null;
  oldestByIp: string | null;
}

export interface NewManagerSession {
  tokenHash: string;
  csrfHash: string;
  manager: ManagerAccount;
  now: string;
  idleExpiresAt: string;
  expiresAt: string;
  ip: string;
  userAgent: string;
}

export interface ManagerSessionRecord {
  manager: ManagerContext;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  expiresAt: string;
}

export interface NewManagerAccount {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: ManagerRole;
  passwordHash: string;
  /** Every store of the tenant (owners), or only `storeIds`. */
  allStores: boolean;
  storeIds: string[];
  now: string;
}
