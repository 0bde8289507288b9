import type { Kysely, Migration } from 'kysely';

/**
 * The Service Bus capture queue's outbox bookkeeping: per card payment, which message the outbox
 * relay last published for it, for which `next_attempt_at`, and whether a consumer took it. SQL
 * stays the source of truth: a message only says "look at payment X", and this table lets a
 * failed or lost publish be retried from SQL (see `kysely/payments/publications.ts`). Unused
 * with the SQL outbox queue. Portable column types only. Never edit it once released.
 */
export const captureQueue: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('capture_publications')
      .addColumn('tenant_id', 'varchar(36)', (col) => col.notNull())
      .addColumn('payment_id', 'varchar(36)', (col) => col.notNull())
      // The publication a relay last claimed (1, 2, …): part of the message id.
      .addColumn('seq', 'integer', (col) => col.notNull())
      // The publication last recorded as sent; differs from `seq` while one is being sent.
      .addColumn('published_seq', 'integer')
      // The highest publication a consumer received and settled without leaving work behind.
      .addColumn('consumed_seq', 'integer')
      // The payment's `next_attempt_at` the recorded publication was made for.
      .addColumn('published_next_at', 'varchar(40)')
      // When the recorded message was scheduled to arrive (scheduledEnqueueTimeUtc, or sent at).
      .addColumn('scheduled_for', 'varchar(40)')
      .addColumn('published_at', 'varchar(40)')
      // The relay instance sending it right now, and until when (several instances may relay).
      .addColumn('lease_owner', 'varchar(80)')
      .addColumn('lease_expires_at', 'varchar(40)')
      .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_error', 'varchar(400)')
      .addPrimaryKeyConstraint('capture_publications_pk', ['tenant_id', 'payment_id'])
      .addForeignKeyConstraint('capture_publications_payment', ['tenant_id', 'payment_id'], 'payments', [
        'tenant_id',
        'id',
      ])
      .execute();
  },
};
