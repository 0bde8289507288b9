import type { ManagerAccountRow } from '@till/shared';
import type { Kysely } from 'kysely';
import type { AccountChange, TenantAccountChange, TenantAccountInput } from '../../console/auth-store.ts';
import type { AuditActor } from '../../console/types.ts';
import type { LedgerTables } from '../../tables.ts';
import { runInTransaction } from '../ledger-dialect.ts';
import { insertAudit } from './audit.ts';
import { changedFields } from './operations/diff.ts';

/**
 * The Team page's reads and changes (MGR-14). Every query names the actor's tenant, so an
 * account id of another tenant finds nothing (I10); every change writes its audit row in its
 * own transaction (MGR-8).
 */

/** The tenant's accounts (or the one `managerId`), by name, with their stores and last sign-in. */
export async function accountRows(
  db: Kysely<LedgerTables>,
  tenantId: string,
  managerId?: string,
): Promise<ManagerAccountRow[]> {
  let managers = db.selectFrom('managers').selectAll().where('tenant_id', '=', tenantId);
  let stores = db.selectFrom('manager_stores').select(['manager_id', 'store_id']).where('tenant_id', '=', tenantId);
  let signIns = db
    .selectFrom('manager_sessions')
    .select((eb) => ['manager_id', eb.fn.max('created_at').as('last')])
    .where('tenant_id', '=', tenantId)
    .groupBy('manager_id');
  if (managerId !== undefined) {
    managers = managers.where('id', '=', managerId);
    stores = stores.where('manager_id', '=', managerId);
    signIns = signIns.where('manager_id', '=', managerId);
  }
  const [managerRows, storeRows, signInRows] = await Promise.all([
    managers.orderBy('name').orderBy('email').execute(),
    stores.execute(),
    signIns.execute(),
  ]);
  const lastSignIn = new Map(signInRows.map((row) => [row.manager_id, row.last]));
  return managerRows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    allStores: row.all_stores === 1,
    storeIds: storeRows
      .filter((store) => store.manager_id === row.id)
      .map((store) => store.store_id)
      .sort(),
    createdAt: row.created_at,
    lastSignInAt: lastSignIn.get(row.id) ?? null,
  }));
}

async function accountRow(db: Kysely<LedgerTables>, tenantId: string, managerId: string) {
  return (await accountRows(db, tenantId, managerId))[0];
}

/** The ids among `storeIds` that are not stores of the tenant. */
async function foreignStores(trx: Kysely<LedgerTables>, tenantId: string, storeIds: string[]): Promise<string[]> {
  if (storeIds.length === 0) return [];
  const found = await trx
    .selectFrom('stores')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', storeIds)
    .execute();
  const ours = new Set(found.map((store) => store.id));
  return storeIds.filter((id) => !ours.has(id));
}

async function grantStores(trx: Kysely<LedgerTables>, tenantId: string, managerId: string, storeIds: string[]) {
  await trx
    .deleteFrom('manager_stores')
    .where('tenant_id', '=', tenantId)
    .where('manager_id', '=', managerId)
    .execute();
  for (const storeId of new Set(storeIds)) {
    await trx
      .insertInto('manager_stores')
      .values({ manager_id: managerId, store_id: storeId, tenant_id: tenantId })
      .execute();
  }
}

/** Ends the account's live sessions (but `keep`), stamping `ended_at`; how many ended. */
async function endSessions(
  trx: Kysely<LedgerTables>,
  tenantId: string,
  managerId: string,
  now: string,
  keep: string | null,
): Promise<number> {
  let query = trx
    .updateTable('manager_sessions')
    .set({ ended_at: now })
    .where('tenant_id', '=', tenantId)
    .where('manager_id', '=', managerId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('idle_expires_at', '>', now);
  if (keep !== null) query = query.where('token_hash', '<>', keep);
  const ended = await query.executeTakeFirst();
  return Number(ended.numUpdatedRows);
}

export async function addTenantManager(
  db: Kysely<LedgerTables>,
  account: TenantAccountInput,
  actor: AuditActor,
): Promise<AccountChange> {
  const tenantId = actor.tenantId;
  return runInTransaction(db, async (trx) => {
    // E-mails are unique across tenants (sign-in names no tenant), so this looks at every tenant.
    const taken = await trx.selectFrom('managers').select('id').where('email', '=', account.email).executeTakeFirst();
    if (taken !== undefined) return { kind: 'email_taken' };
    const storeIds = account.allStores ? [] : [...new Set(account.storeIds)];
    const foreign = await foreignStores(trx, tenantId, storeIds);
    if (foreign.length > 0) return { kind: 'unknown_stores', storeIds: foreign };
    await trx
      .insertInto('managers')
      .values({
        id: account.id,
        tenant_id: tenantId,
        email: account.email,
        name: account.name,
        role: account.role,
        password_hash: account.passwordHash,
        all_stores: account.allStores ? 1 : 0,
        status: 'active',
        created_at: account.now,
      })
      .execute();
    await grantStores(trx, tenantId, account.id, storeIds);
    await insertAudit(trx, actor, {
      storeId: null,
      action: 'manager.create',
      targetType: 'manager',
      targetId: account.id,
      reason: null,
      detail: { email: account.email, name: account.name, role: account.role, allStores: account.allStores, storeIds },
      at: account.now,
    });
    const saved = await accountRow(trx, tenantId, account.id);
    if (saved === undefined) throw new Error('an account just created is not found');
    return { kind: 'saved', account: saved };
  });
}

export async function changeTenantManager(
  db: Kysely<LedgerTables>,
  change: TenantAccountChange,
  actor: AuditActor,
): Promise<AccountChange> {
  const tenantId = actor.tenantId;
  return runInTransaction(db, async (trx) => {
    const before = await accountRow(trx, tenantId, change.managerId);
    if (before === undefined) return { kind: 'not_found' };
    const after = {
      name: change.name,
      role: change.role,
      status: change.status,
      allStores: change.allStores,
      storeIds: change.allStores ? [] : [...new Set(change.storeIds)].sort(),
    };
    // Read inside the write transaction, so two owners demoting each other cannot both pass.
    if (
      before.role === 'owner' &&
      before.status === 'active' &&
      (after.role !== 'owner' || after.status !== 'active')
    ) {
      const otherOwners = await trx
        .selectFrom('managers')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('role', '=', 'owner')
        .where('status', '=', 'active')
        .where('id', '<>', change.managerId)
        .executeTakeFirst();
      if (otherOwners === undefined) return { kind: 'last_owner' };
    }
    const foreign = await foreignStores(trx, tenantId, after.storeIds);
    if (foreign.length > 0) return { kind: 'unknown_stores', storeIds: foreign };

    const { id: _id, email: _email, createdAt: _createdAt, lastSignInAt: _lastSignInAt, ...was } = before;
    const diff = changedFields(was, after);
    if (diff === undefined) return { kind: 'saved', account: before };
    await trx
      .updateTable('managers')
      .set({ name: after.name, role: after.role, status: after.status, all_stores: after.allStores ? 1 : 0 })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', change.managerId)
      .execute();
    await grantStores(trx, tenantId, change.managerId, after.storeIds);
    // A disabled account is out at once, not at its sessions' next expiry.
    const endedSessions =
      after.status === 'disabled' ? await endSessions(trx, tenantId, change.managerId, change.now, null) : 0;
    await insertAudit(trx, actor, {
      storeId: null,
      action: 'manager.update',
      targetType: 'manager',
      targetId: change.managerId,
      reason: null,
      detail: { email: before.email, ...diff, ...(endedSessions > 0 && { endedSessions }) },
      at: change.now,
    });
    const saved = await accountRow(trx, tenantId, change.managerId);
    if (saved === undefined) throw new Error('an account just changed is not found');
    return { kind: 'saved', account: saved };
  });
}

export async function setTenantManagerPassword(
  db: Kysely<LedgerTables>,
  input: { managerId: string; passwordHash: string; keepSessionHash: string; now: string },
  actor: AuditActor,
): Promise<boolean> {
  const tenantId = actor.tenantId;
  return runInTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('managers')
      .set({ password_hash: input.passwordHash })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', input.managerId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    // Whoever knew the old password is signed out everywhere but here.
    const endedSessions = await endSessions(trx, tenantId, input.managerId, input.now, input.keepSessionHash);
    const account = await trx
      .selectFrom('managers')
      .select('email')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', input.managerId)
      .executeTakeFirstOrThrow();
    await insertAudit(trx, actor, {
      storeId: null,
      action: 'manager.password',
      targetType: 'manager',
      targetId: input.managerId,
      reason: null,
      detail: { email: account.email, endedSessions },
      at: input.now,
    });
    return true;
  });
}
