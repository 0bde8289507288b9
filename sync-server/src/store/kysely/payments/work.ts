import { uuidv7 } from '@till/shared';
import type { ExpressionBuilder, Kysely, Updateable } from 'kysely';
import type { Lease, PaymentChange, PaymentClaim, PaymentRecord, PaymentWork } from '../../payment-store.ts';
import type { LedgerTables, PaymentsTable } from '../../tables.ts';
import { ledgerDialectOf, runInTransaction } from '../ledger-dialect.ts';
import { isTerminal, nextChangeNo, type PaymentRow, toPaymentRecord } from './payment-rows.ts';

/**
 * Claims due payments for one worker. One write transaction (BEGIN IMMEDIATE on SQLite) reads
 * the candidates and stamps the lease on them, so two workers — threads of one process or
 * separate processes on one file — can never claim the same payment while a lease is live.
 * What "due" means is `claimable`.
 */
export async function claimDuePayments(
  db: Kysely<LedgerTables>,
  lease: Lease,
  now: string,
  limit: number,
): Promise<PaymentRecord[]> {
  return runInTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'claim'))
      .selectAll()
      .where(claimable(now))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit) // TOP (limit) on Azure SQL (mssql/plugins.ts)
      .execute();
    return takeLease(trx, rows, lease, now);
  });
}

/**
 * Claims one payment by id if `claimable` holds for it now (see `PaymentStore.claimPayment`);
 * otherwise reads why not, in the same transaction, and changes nothing.
 */
export async function claimPayment(
  db: Kysely<LedgerTables>,
  tenantId: string,
  paymentId: string,
  lease: Lease,
  now: string,
): Promise<PaymentClaim> {
  return runInTransaction(db, async (trx): Promise<PaymentClaim> => {
    const ofPayment = trx
      .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'update'))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', paymentId);
    const due = await ofPayment.selectAll().where(claimable(now)).executeTakeFirst();
    if (due !== undefined) {
      const [payment] = await takeLease(trx, [due], lease, now);
      if (payment !== undefined) return { kind: 'claimed', payment };
    }
    const row = await ofPayment.select(['state', 'lease_expires_at', 'next_attempt_at']).executeTakeFirst();
    if (row === undefined) return { kind: 'not_found' };
    if (isTerminal(row.state)) return { kind: 'final', state: row.state };
    if (row.state === 'quarantined') return { kind: 'set_aside' };
    if (row.lease_expires_at !== null && row.lease_expires_at > now) {
      return { kind: 'busy', leaseExpiresAt: row.lease_expires_at };
    }
    return { kind: 'not_due', nextAttemptAt: row.next_attempt_at };
  });
}

/**
 * The claim rule, for every queue: due means `unknown` (to resolve, by lookup first), or
 * `pending` that a pushed sale confirmed, or `pending` past its expiry (to check by lookup and
 * close as expired); next attempt time reached; no live lease. An unconfirmed pending payment (a
 * live attempt whose sale has not arrived) is never claimed before expiry: the worker must not
 * charge a card on its own (PAY-5). `captureDueAt` (publications.ts) is its twin in time: keep
 * the two in step.
 */
function claimable(now: string) {
  return (eb: ExpressionBuilder<LedgerTables, 'payments'>) =>
    eb.and([
      eb.or([
        eb('state', '=', 'unknown'),
        eb.and([
          eb('state', '=', 'pending'),
          eb.or([
            eb('sale_received_at', 'is not', null),
            eb('expires_at', '<=', now),
            // A live attempt whose lease lapsed without its outcome being written: the
            // process died mid-call (see `takeLease`). Only reachable once that lease has lapsed.
            eb('lease_owner', 'like', `${LIVE_OWNER_PREFIX}%`),
          ]),
        ]),
      ]),
      eb('next_attempt_at', '<=', now),
      eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]),
    ]);
}

/** Stamps `lease` on claimable rows, inside the claiming transaction; returns them as claimed. */
async function takeLease(trx: Kysely<LedgerTables>, rows: PaymentRow[], lease: Lease, now: string) {
  if (rows.length === 0) return [];
  await trx
    .updateTable('payments')
    .set({ lease_owner: lease.owner, lease_expires_at: lease.expiresAt })
    .where(
      'id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
  // A live attempt writes its outcome and frees its lease when the gateway answers; a lapsed
  // `live:` lease on a pending row means the call went out and its outcome was never written
  // (the server was killed mid-call). A charge may exist: the payment is `unknown`, looked up
  // (never charged on our own — PAY-5). Left `pending`, a charge made for a sale that never
  // arrives would hide until the payment's expiry. Found by the fault simulation (tests/sim).
  const interrupted = rows.filter((row) => row.state === 'pending' && row.lease_owner?.startsWith(LIVE_OWNER_PREFIX));
  for (const row of interrupted) {
    row.state = 'unknown';
    await trx
      .updateTable('payments')
      .set({ state: 'unknown', change_no: await nextChangeNo(trx), updated_at: now })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.id)
      .execute();
  }
  return rows.map((row) => toPaymentRecord({ ...row, lease_owner: lease.owner, lease_expires_at: lease.expiresAt }));
}

/** Lease owners of live capture requests (`live-capture.ts`); workers use their own ids. */
export const LIVE_OWNER_PREFIX = 'live:';

/** See `PaymentStore.expediteRetries`. The rate limiter, not the backoff, paces the drain that follows. */
export async function expediteRetries(db: Kysely<LedgerTables>, now: string): Promise<number> {
  const result = await db
    .updateTable('payments')
    .set({ next_attempt_at: now })
    .where('state', 'in', ['pending', 'unknown'])
    .where('next_attempt_at', '>', now)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Attempts that were real gateway calls (circuit-open skips and expiry closes were not). */
const CALL_OUTCOMES = new Set(['captured', 'declined', 'not_found', 'unknown', 'retryable', 'permanent']);

/**
 * Writes one unit of work on a payment: its attempts, then its next state, and frees the lease.
 *
 * A terminal row never changes again here (I5: one terminal state). Otherwise the change applies
 * while the lease is the caller's — or, after the lease was lost (a slow call outlived it and
 * another worker took over), when the change is itself a final answer from the gateway: that is
 * the truth whoever asked, and the other worker's answer under the same key can only agree.
 */
export async function finishPaymentWork(db: Kysely<LedgerTables>, work: PaymentWork): Promise<boolean> {
  // Made once, outside the transaction: a run whose commit went unacknowledged and is run again
  // (Azure SQL) finds its attempts by these ids and does not log them twice.
  const attemptIds = work.attempts.map(() => uuidv7());
  return runInTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'update'))
      .selectAll()
      .where('tenant_id', '=', work.tenantId)
      .where('id', '=', work.paymentId)
      .executeTakeFirst();
    if (row === undefined) throw new Error(`finishPaymentWork: no payment ${work.paymentId}`);

    const recorded =
      attemptIds[0] !== undefined &&
      (await trx.selectFrom('payment_attempts').select('id').where('id', '=', attemptIds[0]).executeTakeFirst()) !==
        undefined;
    if (work.attempts.length > 0 && !recorded) {
      const last = await trx
        .selectFrom('payment_attempts')
        .select((eb) => eb.fn.max('n').as('n'))
        .where('tenant_id', '=', work.tenantId)
        .where('payment_id', '=', work.paymentId)
        .executeTakeFirst();
      let n = last?.n ?? 0;
      await trx
        .insertInto('payment_attempts')
        .values(
          work.attempts.map((attempt, index) => {
            n += 1;
            return {
              id: attemptIds[index] ?? uuidv7(),
              tenant_id: work.tenantId,
              payment_id: work.paymentId,
              n,
              kind: attempt.kind,
              worker_id: work.owner,
              started_at: attempt.startedAt,
              finished_at: attempt.finishedAt,
              outcome: attempt.outcome,
              code: attempt.code,
              message: attempt.message,
              retry_after_ms: attempt.retryAfterMs,
            };
          }),
        )
        .execute();
    }

    const mine = row.lease_owner === work.owner;
    const final = isTerminal(work.change.state);
    if (isTerminal(row.state) || !(mine || final)) return false;

    // A sale confirmed the payment after it was claimed (the push ran while the lookup was out):
    // the wait "for its sale" is over, so it is due now — parking it until its expiry would let
    // a sold card expire uncharged. Found by the fault simulation (tests/sim).
    const confirmedMeanwhile = work.change.untilConfirmed === true && row.sale_received_at !== null;
    const change: PaymentChange = confirmedMeanwhile
      ? { state: work.change.state, nextAttemptAt: work.now }
      : work.change;
    const calls = work.attempts.filter((attempt) => CALL_OUTCOMES.has(attempt.outcome)).length;
    const update: Updateable<PaymentsTable> = {
      state: change.state,
      attempts: row.attempts + calls,
      updated_at: work.now,
      ...(change.nextAttemptAt !== undefined && { next_attempt_at: change.nextAttemptAt }),
      ...(change.gatewayRef !== undefined && { gateway_ref: change.gatewayRef }),
      ...(change.declineCode !== undefined && { decline_code: change.declineCode }),
      ...(change.message !== undefined && { message: change.message }),
      ...(change.lastError !== undefined && { last_error: change.lastError }),
      ...(change.quarantineReason !== undefined && { quarantine_reason: change.quarantineReason }),
      ...(change.capturedAt !== undefined && { captured_at: change.capturedAt }),
      ...(change.errorCount !== undefined && { error_count: change.errorCount }),
      ...((mine || final) && { lease_owner: null, lease_expires_at: null }),
    };
    // The till follows state and outcome, not retry bookkeeping: only those bump the cursor.
    const visible =
      change.state !== row.state ||
      (change.gatewayRef !== undefined && change.gatewayRef !== row.gateway_ref) ||
      (change.declineCode !== undefined && change.declineCode !== row.decline_code) ||
      (change.message !== undefined && change.message !== row.message);
    if (visible) update.change_no = await nextChangeNo(trx);
    await trx
      .updateTable('payments')
      .set(update)
      .where('tenant_id', '=', work.tenantId)
      .where('id', '=', work.paymentId)
      .execute();
    return true;
  });
}

/** See `PaymentStore.quarantinePayment`. */
export async function quarantinePayment(
  db: Kysely<LedgerTables>,
  input: { tenantId: string | null; paymentId: string; reason: string; now: string },
): Promise<boolean> {
  const { paymentId, now } = input;
  const reason = input.reason.slice(0, 400);
  return runInTransaction(db, async (trx) => {
    let query = trx
      .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'update'))
      .select(['tenant_id', 'state', 'lease_expires_at'])
      .where('id', '=', paymentId);
    if (input.tenantId !== null) query = query.where('tenant_id', '=', input.tenantId);
    const row = await query.executeTakeFirst();
    if (row === undefined || (row.state !== 'pending' && row.state !== 'unknown')) return false;
    // Someone is calling the gateway for it right now: its outcome is coming; leave it be.
    if (row.lease_expires_at !== null && row.lease_expires_at > now) return false;
    await trx
      .updateTable('payments')
      .set({
        state: 'quarantined',
        quarantine_reason: reason,
        last_error: reason,
        message: 'Set aside for a manager: its capture message kept failing',
        updated_at: now,
        change_no: await nextChangeNo(trx),
      })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', paymentId)
      .execute();
    return true;
  });
}
