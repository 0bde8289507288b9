import type { ManagerRole, StoreInfo } from '@till/shared';

/** The signed-in manager of a request, from their session (see plugins/app/manager-auth.ts). */
export interface ManagerContext {
  managerId: string;
  tenantId: string;
  tenantName: string;
  email: string;
  name: string;
  role: ManagerRole;
  /** true: every store of the tenant; false: only `storeIds`. */
  allStores: boolean;
  storeIds: string[];
  /** SHA-256 of the session token: lets sign-out end exactly this session. */
  sessionHash: string;
}

/**
 * The store a console request is about, checked against the manager's access (I10): routes
 * under `/manager/stores/:storeId` receive it from `consoleScopeOf(request)`, never build it.
 */
export interface ConsoleScope {
  tenantId: string;
  storeId: string;
  store: StoreInfo;
  manager: ManagerContext;
}

/** Who did something, as the audit log records it (copied: it outlives renames). */
export interface AuditActor {
  tenantId: string;
  managerId: string | null;
  email: string;
  name: string;
}

/** One audited action (MGR-8); written in the same transaction as the change it records. */
export interface AuditEntry {
  storeId: string | null;
  /** e.g. payment.write_off, device.revoke, session.sign_in, settings.update, product.create */
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
  at: string;
}

/** The auditing actor of a console request. */
export function actorOf(manager: ManagerContext): AuditActor {
  return { tenantId: manager.tenantId, managerId: manager.managerId, email: manager.email, name: manager.name };
}

/** The half-open instant range [from, to) of store-time days, as ISO strings. */
export interface InstantRange {
  from: string;
  to: string;
}
