import type { ManagerRole, StoreInfo } from '@till/shared';
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
}

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
