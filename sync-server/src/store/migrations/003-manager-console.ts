import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * The manager console: manager accounts (per tenant, role, store access), their sessions and
 * sign-in attempts (in SQL, not process memory, so several instances agree), the audit log,
 * cash-drawer shifts and their events, per-store tax rates, manager follow-ups on payments,
 * and per-sale columns the reconciliation reads (shift, cashier, cash and card totals) so
 * reports never parse payloads. Portable column types only. Never edit it once released.
 */
export const managerConsole: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('managers')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      // Lower-cased; one account per e-mail across tenants, so sign-in needs no tenant name.
      .addColumn('email', 'varchar(254)', (col) => col.notNull().unique())
      .addColumn('name', 'varchar(120)', (col) => col.notNull())
      .addColumn('role', 'varchar(10)', (col) => col.notNull())
      // scrypt$N$r$p$salt$hash (see manager/passwords.ts); the password itself is never stored.
      .addColumn('password_hash', 'varchar(300)', (col) => col.notNull())
      // 1: every store of the tenant, present and future; 0: only those in manager_stores.
      .addColumn('all_stores', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('status', 'varchar(10)', (col) => col.notNull())
      .addColumn('created_at', 'varchar(40)', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('manager_stores')
      .addColumn('manager_id', 'varchar(36)', (col) => col.notNull().references('managers.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addPrimaryKeyConstraint('manager_stores_pk', ['manager_id', 'store_id'])
      .execute();

    await db.schema
      .createTable('manager_sessions')
      // SHA-256 hex of the session token; the token lives only in the manager's httpOnly cookie.
      .addColumn('token_hash', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('manager_id', 'varchar(36)', (col) => col.notNull().references('managers.id'))
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('csrf_hash', 'varchar(64)', (col) => col.notNull())
      .addColumn('created_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('last_seen_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('idle_expires_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('expires_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('ended_at', 'varchar(40)')
      .addColumn('ip', 'varchar(64)', (col) => col.notNull())
      .addColumn('user_agent', 'varchar(300)', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('manager_sessions_manager').on('manager_sessions').column('manager_id').execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('email', 'varchar(254)', (col) => col.notNull())
      .addColumn('ip', 'varchar(64)', (col) => col.notNull())
      .addColumn('at', 'varchar(40)', (col) => col.notNull())
      .addColumn('succeeded', 'integer', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('login_attempts_email').on('login_attempts').columns(['email', 'at']).execute();
    await db.schema.createIndex('login_attempts_ip').on('login_attempts').columns(['ip', 'at']).execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)')
      .addColumn('manager_id', 'varchar(36)')
      // Copied, so the entry still says who after an account is renamed or removed.
      .addColumn('manager_email', 'varchar(254)', (col) => col.notNull())
      .addColumn('manager_name', 'varchar(120)', (col) => col.notNull())
      .addColumn('action', 'varchar(60)', (col) => col.notNull())
      .addColumn('target_type', 'varchar(30)')
      .addColumn('target_id', 'varchar(80)')
      .addColumn('reason', 'varchar(300)')
      .addColumn('detail', 'text', (col) => col.notNull())
      .addColumn('at', 'varchar(40)', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('audit_log_tenant_at').on('audit_log').columns(['tenant_id', 'at']).execute();

    await db.schema
      .createTable('shifts')
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('id', 'varchar(36)', (col) => col.notNull())
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull().references('devices.id'))
      .addColumn('cashier', 'varchar(60)')
      .addColumn('opened_at', 'varchar(40)')
      .addColumn('opening_float', 'bigint', (col) => col.notNull().defaultTo(0))
      .addColumn('cash_movements', 'bigint', (col) => col.notNull().defaultTo(0))
      .addColumn('closed_at', 'varchar(40)')
      .addColumn('counted_cash', 'bigint')
      .addColumn('till_expected_cash', 'bigint')
      .addColumn('till_sale_count', 'integer')
      .addColumn('till_last_seq', 'integer')
      .addColumn('close_reason', 'varchar(200)')
      .addColumn('updated_at', 'varchar(40)', (col) => col.notNull())
      .addPrimaryKeyConstraint('shifts_pk', ['tenant_id', 'id'])
      .execute();
    await db.schema
      .createIndex('shifts_store_opened')
      .on('shifts')
      .columns(['tenant_id', 'store_id', 'opened_at'])
      .execute();

    await db.schema
      .createTable('shift_events')
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('id', 'varchar(36)', (col) => col.notNull())
      .addColumn('shift_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('kind', 'varchar(20)', (col) => col.notNull())
      .addColumn('at', 'varchar(40)', (col) => col.notNull())
      .addColumn('amount', 'bigint')
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('payload_hash', 'varchar(64)', (col) => col.notNull())
      .addColumn('received_at', 'varchar(40)', (col) => col.notNull())
      .addPrimaryKeyConstraint('shift_events_pk', ['tenant_id', 'id'])
      .execute();
    await db.schema.createIndex('shift_events_shift').on('shift_events').columns(['tenant_id', 'shift_id']).execute();

    // An event id received again with other content, or for another device's shift: kept aside.
    await db.schema
      .createTable('shift_event_conflicts')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('event_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('received_at', 'varchar(40)', (col) => col.notNull())
      .execute();

    await db.schema.alterTable('sales').addColumn('shift_id', 'varchar(36)').execute();
    await db.schema.alterTable('sales').addColumn('cashier', 'varchar(60)').execute();
    await db.schema
      .alterTable('sales')
      .addColumn('cash_total', 'bigint', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('sales')
      .addColumn('card_total', 'bigint', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('sales')
      .addColumn('discount', 'bigint', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('sales_store_created')
      .on('sales')
      .columns(['tenant_id', 'store_id', 'created_at'])
      .execute();
    await db.schema.createIndex('sales_shift').on('sales').columns(['tenant_id', 'shift_id']).execute();
    await backfillSaleColumns(db);

    await db.schema.alterTable('payments').addColumn('follow_up', 'varchar(20)').execute();
    await db.schema.alterTable('payments').addColumn('follow_up_by', 'varchar(120)').execute();
    await db.schema.alterTable('payments').addColumn('follow_up_reason', 'varchar(300)').execute();
    await db.schema.alterTable('payments').addColumn('follow_up_at', 'varchar(40)').execute();
    await db.schema
      .createIndex('payments_store_state')
      .on('payments')
      .columns(['tenant_id', 'store_id', 'state'])
      .execute();
    // Earlier write-offs (till-admin) are follow-ups by the same name and reason.
    await sql`update payments set follow_up = 'written_off', follow_up_by = written_off_by,
      follow_up_reason = written_off_reason, follow_up_at = updated_at
      where state = 'written_off'`.execute(db);

    // A manager who has looked into a sequence problem that cannot resolve itself (a hash break, a
    // reused number, a gap whose sales are lost for good) acknowledges it by name with a reason;
    // the issue and its sales are kept as they are (I3).
    await db.schema.alterTable('sequence_issues').addColumn('acknowledged_at', 'varchar(40)').execute();
    await db.schema.alterTable('sequence_issues').addColumn('acknowledged_by', 'varchar(120)').execute();
    await db.schema.alterTable('sequence_issues').addColumn('acknowledge_reason', 'varchar(300)').execute();

    // JSON array of { id, name, rateBp }: the rates a manager picks from when editing products.
    await db.schema
      .alterTable('stores')
      .addColumn('tax_rates', 'text', (col) => col.notNull().defaultTo('[]'))
      .execute();
  },
};

interface StoredTender {
  kind: string;
  amount: number;
}

/** Sales stored before this migration get their tender split, discount, shift and cashier from their payload. */
async function backfillSaleColumns(db: Kysely<unknown>): Promise<void> {
  const sales = await sql<{ tenant_id: string; id: string; payload: string }>`
    select tenant_id, id, payload from sales`.execute(db);
  for (const row of sales.rows) {
    const sale = JSON.parse(row.payload) as {
      tenders: StoredTender[];
      totals: { discount: number };
      shiftId?: string;
      cashier?: string;
    };
    const cash = sale.tenders.filter((t) => t.kind === 'cash').reduce((sum, t) => sum + t.amount, 0);
    const card = sale.tenders.filter((t) => t.kind === 'card').reduce((sum, t) => sum + t.amount, 0);
    await sql`update sales set cash_total = ${cash}, card_total = ${card}, discount = ${sale.totals.discount},
      shift_id = ${sale.shiftId ?? null}, cashier = ${sale.cashier ?? null}
      where tenant_id = ${row.tenant_id} and id = ${row.id}`.execute(db);
  }
}
