import type { Kysely } from 'kysely';
import type { ManagerAuthStore } from '../../console/auth-store.ts';
import type { LedgerTables } from '../../tables.ts';
import { runInTransaction } from '../ledger-dialect.ts';
import { STORE_INFO_COLUMNS, toStoreInfo } from '../rows.ts';
import { accountRows, addTenantManager, changeTenantManager, setTenantManagerPassword } from './accounts.ts';
import { insertAudit } from './audit.ts';

/** A touch within this long of the last one changes nothing (the auth hook rarely asks sooner). */
const TOUCH_EVERY_MS = 60_000;

export function kyselyAuthStore(db: Kysely<LedgerTables>): ManagerAuthStore {
  return {
    async findManagerByEmail(email) {
      const row = await db.selectFrom('managers').selectAll().where('email', '=', email).executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.id,
        tenantId: row.tenant_id,
        email: row.email,
        name: row.name,
        role: row.role,
        passwordHash: row.password_hash,
        status: row.status,
      };
    },

    async recentLoginFailures(email, ip, since) {
      const failures = (column: 'email' | 'ip', value: string) =>
        db
          .selectFrom('login_attempts')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
          .where(column, '=', value)
          .where('succeeded', '=', 0)
          .where('at', '>', since)
          .executeTakeFirstOrThrow();
      const [byEmail, byIp] = await Promise.all([failures('email', email), failures('ip', ip)]);
      return {
        byEmail: Number(byEmail.n),
        byIp: Number(byIp.n),
        oldestByEmail: byEmail.oldest ?? null,
        oldestByIp: byIp.oldest ?? null,
      };
    },

    async recordLoginAttempt(attempt) {
      await db
        .insertInto('login_attempts')
        .values({
          id: crypto.randomUUID(),
          email: attempt.email,
          ip: attempt.ip,
          at: attempt.at,
          succeeded: attempt.succeeded ? 1 : 0,
        })
        .execute();
    },

    async createManagerSession(session) {
      await runInTransaction(db, async (trx) => {
        await trx
          .insertInto('manager_sessions')
          .values({
            token_hash: session.tokenHash,
            manager_id: session.manager.id,
            tenant_id: session.manager.tenantId,
            csrf_hash: session.csrfHash,
            created_at: session.now,
            last_seen_at: session.now,
            idle_expires_at: session.idleExpiresAt,
            expires_at: session.expiresAt,
            ended_at: null,
            ip: session.ip,
            user_agent: session.userAgent.slice(0, 300),
          })
          .execute();
        await trx
          .insertInto('login_attempts')
          .values({
            id: crypto.randomUUID(),
            email: session.manager.email,
            ip: session.ip,
            at: session.now,
            succeeded: 1,
          })
          .execute();
        await insertAudit(
          trx,
          {
            tenantId: session.manager.tenantId,
            managerId: session.manager.id,
            email: session.manager.email,
            name: session.manager.name,
          },
          {
            storeId: null,
            action: 'session.sign_in',
            targetType: 'manager',
            targetId: session.manager.id,
            reason: null,
            detail: { ip: session.ip, userAgent: session.userAgent.slice(0, 120) },
            at: session.now,
          },
        );
      });
    },

    async findManagerSession(tokenHash, now) {
      const row = await db
        .selectFrom('manager_sessions')
        .innerJoin('managers', 'managers.id', 'manager_sessions.manager_id')
        .innerJoin('tenants', 'tenants.id', 'managers.tenant_id')
        .select([
          'manager_sessions.created_at',
          'manager_sessions.last_seen_at',
          'manager_sessions.idle_expires_at',
          'manager_sessions.expires_at',
          'managers.id as manager_id',
          'managers.tenant_id',
          'managers.email',
          'managers.name',
          'managers.role',
          'managers.all_stores',
          'tenants.name as tenant_name',
        ])
        .where('manager_sessions.token_hash', '=', tokenHash)
        .where('manager_sessions.ended_at', 'is', null)
        .where('manager_sessions.idle_expires_at', '>', now)
        .where('manager_sessions.expires_at', '>', now)
        .where('managers.status', '=', 'active')
        // The session's tenant must still be the account's: nothing moves a session across tenants.
        .whereRef('manager_sessions.tenant_id', '=', 'managers.tenant_id')
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const storeRows = await db
        .selectFrom('manager_stores')
        .select('store_id')
        .where('manager_id', '=', row.manager_id)
        .where('tenant_id', '=', row.tenant_id)
        .execute();
      return {
        manager: {
          managerId: row.manager_id,
          tenantId: row.tenant_id,
          tenantName: row.tenant_name,
          email: row.email,
          name: row.name,
          role: row.role,
          allStores: row.all_stores === 1,
          storeIds: storeRows.map((store) => store.store_id),
          sessionHash: tokenHash,
        },
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        idleExpiresAt: row.idle_expires_at,
        expiresAt: row.expires_at,
      };
    },

    async touchManagerSession(tokenHash, now, idleExpiresAt) {
      const stale = new Date(Date.parse(now) - TOUCH_EVERY_MS).toISOString();
      await db
        .updateTable('manager_sessions')
        .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
        .where('token_hash', '=', tokenHash)
        .where('ended_at', 'is', null)
        .where('last_seen_at', '<', stale)
        .execute();
    },

    async endManagerSession(tokenHash, actor, now) {
      await runInTransaction(db, async (trx) => {
        const ended = await trx
          .updateTable('manager_sessions')
          .set({ ended_at: now })
          .where('token_hash', '=', tokenHash)
          .where('tenant_id', '=', actor.tenantId)
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        if (Number(ended.numUpdatedRows) === 0) return;
        await insertAudit(trx, actor, {
          storeId: null,
          action: 'session.sign_out',
          targetType: 'manager',
          targetId: actor.managerId,
          reason: null,
          detail: {},
          at: now,
        });
      });
    },

    async managerStores(manager) {
      let query = db.selectFrom('stores').select(STORE_INFO_COLUMNS).where('stores.tenant_id', '=', manager.tenantId);
      if (!manager.allStores) {
        if (manager.storeIds.length === 0) return [];
        query = query.where('stores.id', 'in', manager.storeIds);
      }
      const rows = await query.orderBy('stores.name').execute();
      return rows.map(toStoreInfo);
    },

    async findConsoleStore(manager, storeId) {
      if (!manager.allStores && !manager.storeIds.includes(storeId)) return undefined;
      const row = await db
        .selectFrom('stores')
        .select(STORE_INFO_COLUMNS)
        .where('stores.id', '=', storeId)
        .where('stores.tenant_id', '=', manager.tenantId)
        .executeTakeFirst();
      return row === undefined ? undefined : toStoreInfo(row);
    },

    async createManager(account, actor) {
      await runInTransaction(db, async (trx) => {
        await trx
          .insertInto('managers')
          .values({
            id: account.id,
            tenant_id: account.tenantId,
            email: account.email,
            name: account.name,
            role: account.role,
            password_hash: account.passwordHash,
            all_stores: account.allStores ? 1 : 0,
            status: 'active',
            created_at: account.now,
          })
          .execute();
        for (const storeId of account.storeIds) {
          // Only stores of the account's own tenant can be granted (I10).
          const store = await trx
            .selectFrom('stores')
            .select('id')
            .where('id', '=', storeId)
            .where('tenant_id', '=', account.tenantId)
            .executeTakeFirst();
          if (store === undefined) throw new Error(`Store ${storeId} is not a store of tenant ${account.tenantId}`);
          await trx
            .insertInto('manager_stores')
            .values({ manager_id: account.id, store_id: storeId, tenant_id: account.tenantId })
            .execute();
        }
        if (actor !== null) {
          await insertAudit(trx, actor, {
            storeId: null,
            action: 'manager.create',
            targetType: 'manager',
            targetId: account.id,
            reason: null,
            detail: {
              email: account.email,
              role: account.role,
              allStores: account.allStores,
              storeIds: account.storeIds,
            },
            at: account.now,
          });
        }
      });
    },

    tenantManagers: (actor) => accountRows(db, actor.tenantId),
    addTenantManager: (account, actor) => addTenantManager(db, account, actor),
    changeTenantManager: (change, actor) => changeTenantManager(db, change, actor),
    setTenantManagerPassword: (input, actor) => setTenantManagerPassword(db, input, actor),
  };
}
