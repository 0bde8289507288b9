import type { PaymentUpdatesResponse } from '@till/shared';
import type { Kysely } from 'kysely';
import type { DeviceContext } from '../../ledger-store.ts';
import type { AdminResult, PaymentAdmin, PaymentAttempt } from '../../payment-store.ts';
import type { LedgerTables } from '../../tables.ts';
import { ledgerDialectOf, runInTransaction } from '../ledger-dialect.ts';
import { cardTotals } from './card-totals.ts';
import { currentChangeNo, isTerminal, nextChangeNo, toPaymentRecord } from './payment-rows.ts';

/**
 * This device's payments changed after `since`, oldest change first. A `since` beyond the
 * counter (the server's ledger was reset under a till that kept its cursor) starts again from
 * 0: re-sending outcomes is harmless, missing them is not.
 */
export async function paymentUpdates(
  db: Kysely<LedgerTables>,
  device: DeviceContext,
  since: number,
  limit: number,
): Promise<PaymentUpdatesResponse> {
  const from = since > (await currentChangeNo(db)) ? 0 : since;
  const rows = await db
    .selectFrom('payments')
    .selectAll()
    .where('tenant_id', '=', device.tenantId)
    .where('device_id', '=', device.deviceId)
    .where('change_no', '>', from)
    .orderBy('change_no')
    .limit(limit) // TOP (limit) on Azure SQL (mssql/plugins.ts)
    .execute();
  return {
    cursor: rows.length > 0 ? Number(rows[rows.length - 1]?.change_no) : from,
    payments: rows.map((row) => ({
      paymentId: row.id,
      saleId: row.sale_id,
      state: row.state,
      amount: Number(row.amount),
      gatewayRef: row.gateway_ref,
      declineCode: row.decline_code,
      message: row.message,
      expiresAt: row.expires_at,
      updatedAt: row.updated_at,
    })),
  };
}

/**
 * Payments the worker has to capture or resolve: unknown ones, and pending ones a sale confirmed.
 * (A pending live attempt whose sale has not arrived is not work: it waits for its sale.)
 */
export async function paymentBacklog(db: Kysely<LedgerTables>): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([
        eb('state', '=', 'unknown'),
        eb.and([eb('state', '=', 'pending'), eb('sale_received_at', 'is not', null)]),
      ]),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function kyselyPaymentAdmin(db: Kysely<LedgerTables>): PaymentAdmin {
  return {
    cardTotals: (storeId) => cardTotals(db, storeId),

    async listPayments(filter = {}) {
      let query = db.selectFrom('payments').selectAll();
      if (filter.states !== undefined && filter.states.length > 0) query = query.where('state', 'in', filter.states);
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(filter.limit ?? 1000)
        .execute();
      return rows.map(toPaymentRecord);
    },

    async attemptsOf(paymentId) {
      const rows = await db
        .selectFrom('payment_attempts')
        .selectAll()
        .where('payment_id', '=', paymentId)
        .orderBy('n')
        .execute();
      return rows.map(
        (row): PaymentAttempt => ({
          n: row.n,
          kind: row.kind,
          workerId: row.worker_id,
          startedAt: row.started_at,
          finishedAt: row.finished_at,
          outcome: row.outcome,
          code: row.code,
          message: row.message,
          retryAfterMs: row.retry_after_ms,
        }),
      );
    },

    async writeOffPayment({ paymentId, by, reason, now }): Promise<AdminResult> {
      return runInTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'update'))
          .selectAll()
          .where('id', '=', paymentId)
          .executeTakeFirst();
        if (row === undefined) return { kind: 'not_found' };
        if (isTerminal(row.state)) return { kind: 'refused', reason: `the payment is already ${row.state}` };
        if (row.lease_owner !== null && row.lease_expires_at !== null && row.lease_expires_at > now) {
          return { kind: 'refused', reason: 'a gateway call for it is in flight; try again in a minute' };
        }
        if (row.state === 'unknown') {
          // It may have been charged: writing it off could hide a real charge. Resolve it first.
          return { kind: 'refused', reason: 'its outcome at the gateway is unknown; let the worker resolve it first' };
        }
        const change_no = await nextChangeNo(trx);
        const message = `Written off by ${by}: ${reason}`;
        await trx
          .updateTable('payments')
          .set({
            state: 'written_off',
            written_off_by: by,
            written_off_reason: reason,
            message,
            updated_at: now,
            change_no,
          })
          .where('id', '=', paymentId)
          .execute();
        return {
          kind: 'done',
          payment: toPaymentRecord({
            ...row,
            state: 'written_off',
            written_off_by: by,
            written_off_reason: reason,
            message,
            updated_at: now,
            change_no,
          }),
        };
      });
    },

    async requeuePayment({ paymentId, now }): Promise<AdminResult> {
      return runInTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'update'))
          .selectAll()
          .where('id', '=', paymentId)
          .executeTakeFirst();
        if (row === undefined) return { kind: 'not_found' };
        if (row.state !== 'quarantined')
          return { kind: 'refused', reason: `only a quarantined payment can be retried (it is ${row.state})` };
        // Back to `unknown`: a quarantined payment may have reached the gateway, so the worker
        // looks it up before any new charge, under the same key.
        const change_no = await nextChangeNo(trx);
        const update = {
          state: 'unknown' as const,
          error_count: 0,
          next_attempt_at: now,
          quarantine_reason: null,
          message: 'Retry requested by a manager',
          updated_at: now,
          change_no,
        };
        await trx.updateTable('payments').set(update).where('id', '=', paymentId).execute();
        return { kind: 'done', payment: toPaymentRecord({ ...row, ...update }) };
      });
    },
  };
}
