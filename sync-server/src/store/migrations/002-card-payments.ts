import { CURRENCY_EXPONENTS } from '@till/shared';
import type { Migration } from 'kysely';
import { type Kysely, sql } from 'kysely';

/** The store-and-forward defaults of 2026-03 (100.00, 500.00, 24 h), frozen here as released. */
const DEFAULT_MAX_PER_PAYMENT_UNITS = 100;
const DEFAULT_MAX_TOTAL_PER_DEVICE_UNITS = 500;
const DEFAULT_MAX_AGE_MINUTES = 24 * 60;

/**
 * Card payments: the capture outbox (`payments`, one row per card payment, keyed by the
 * till-made payment id that is also the gateway idempotency key), its attempt log, the
 * per-store store-and-forward limits, and the counter behind the payment updates cursor.
 * Portable column types only, so an Azure SQL dialect can run it. Never edit it once released.
 */
export const cardPayments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('stores')
      .addColumn('card_max_per_payment', 'bigint', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('stores')
      .addColumn('card_max_total_per_device', 'bigint', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('stores')
      .addColumn('card_max_age_minutes', 'integer', (col) => col.notNull().defaultTo(DEFAULT_MAX_AGE_MINUTES))
      .execute();
    // Existing stores get the defaults in their own currency's minor units.
    for (const [currency, exponent] of Object.entries(CURRENCY_EXPONENTS)) {
      const unit = 10 ** exponent;
      await sql`update stores set card_max_per_payment = ${DEFAULT_MAX_PER_PAYMENT_UNITS * unit},
        card_max_total_per_device = ${DEFAULT_MAX_TOTAL_PER_DEVICE_UNITS * unit}
        where currency = ${currency}`.execute(db);
    }

    await db.schema
      .createTable('payments')
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('id', 'varchar(36)', (col) => col.notNull())
      .addColumn('store_id', 'varchar(36)', (col) => col.notNull().references('stores.id'))
      .addColumn('device_id', 'varchar(36)', (col) => col.notNull().references('devices.id'))
      .addColumn('sale_id', 'varchar(36)')
      .addColumn('sale_received_at', 'varchar(40)')
      .addColumn('reference', 'varchar(40)')
      .addColumn('amount', 'bigint', (col) => col.notNull())
      .addColumn('currency', 'varchar(3)', (col) => col.notNull())
      .addColumn('brand', 'varchar(20)', (col) => col.notNull())
      .addColumn('last4', 'varchar(4)', (col) => col.notNull())
      .addColumn('gateway_token', 'varchar(255)', (col) => col.notNull())
      .addColumn('entry', 'varchar(10)', (col) => col.notNull())
      .addColumn('stored_reason', 'varchar(24)')
      .addColumn('state', 'varchar(12)', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('error_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('lease_owner', 'varchar(80)')
      .addColumn('lease_expires_at', 'varchar(40)')
      .addColumn('expires_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('gateway_ref', 'varchar(255)')
      .addColumn('decline_code', 'varchar(80)')
      .addColumn('message', 'varchar(400)')
      .addColumn('last_error', 'varchar(400)')
      .addColumn('quarantine_reason', 'varchar(400)')
      .addColumn('written_off_by', 'varchar(120)')
      .addColumn('written_off_reason', 'varchar(400)')
      .addColumn('change_no', 'bigint', (col) => col.notNull())
      .addColumn('created_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('updated_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('captured_at', 'varchar(40)')
      .addPrimaryKeyConstraint('payments_pk', ['tenant_id', 'id'])
      .execute();
    // The gateway's idempotency key space is the whole gateway account, not one tenant: a
    // payment id may exist once, across tenants, or two tenants could share one charge (I4).
    await db.schema.createIndex('payments_id_unique').on('payments').column('id').unique().execute();
    // The worker's claim: due payments by state and time.
    await db.schema.createIndex('payments_due').on('payments').columns(['state', 'next_attempt_at']).execute();
    // A device's updates cursor.
    await db.schema.createIndex('payments_device_change').on('payments').columns(['device_id', 'change_no']).execute();
    await db.schema.createIndex('payments_sale').on('payments').columns(['tenant_id', 'sale_id']).execute();

    await db.schema
      .createTable('payment_attempts')
      .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull().references('tenants.id'))
      .addColumn('payment_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('n', 'integer', (col) => col.notNull())
      .addColumn('kind', 'varchar(10)', (col) => col.notNull())
      .addColumn('worker_id', 'varchar(80)', (col) => col.notNull())
      .addColumn('started_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('finished_at', 'varchar(40)', (col) => col.notNull())
      .addColumn('outcome', 'varchar(16)', (col) => col.notNull())
      .addColumn('code', 'varchar(80)')
      .addColumn('message', 'varchar(400)')
      .addColumn('retry_after_ms', 'integer')
      .execute();
    await db.schema
      .createIndex('payment_attempts_payment')
      .on('payment_attempts')
      .columns(['tenant_id', 'payment_id', 'n'])
      .execute();

    // Monotonic counters bumped inside write transactions (the payment updates cursor).
    await db.schema
      .createTable('ledger_counters')
      .addColumn('name', 'varchar(40)', (col) => col.primaryKey())
      .addColumn('value', 'bigint', (col) => col.notNull())
      .execute();
    await sql`insert into ledger_counters (name, value) values ('payment_change', 0)`.execute(db);
  },
};
