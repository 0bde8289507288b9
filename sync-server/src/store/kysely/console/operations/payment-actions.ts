import type { FollowUp, PaymentAction, PaymentState } from '@till/shared';
import type { Kysely } from 'kysely';
import type { PaymentActionInput, PaymentActionResult } from '../../../console/operations-store.ts';
import { actorOf, type ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { ledgerDialectOf, runInTransaction } from '../../ledger-dialect.ts';
import { nextChangeNo, type PaymentRow } from '../../payments/payment-rows.ts';
import { insertAudit } from '../audit.ts';

/** What an action does to one payment: a change to write, or why it may not. */
type Decision = { kind: 'change'; update: Partial<PaymentRow>; message: string } | { kind: 'refuse'; message: string };

interface Who {
  /** `Name <e-mail>`: who wrote it off, as the payment keeps it. */
  by: string;
  name: string;
}

const FOLLOW_UP_OF: Record<Exclude<PaymentAction, 'retry_now'>, FollowUp> = {
  write_off: 'written_off',
  resolve_paid_elsewhere: 'paid_elsewhere',
};

const CANNOT_RETRY: Partial<Record<PaymentState, string>> = {
  captured: 'It was captured: there is nothing to retry.',
  declined:
    'The gateway declined it; a declined card is not tried again. Write it off or record it as paid another way.',
  expired: 'It expired uncharged and can no longer be captured. Write it off or record it as paid another way.',
  written_off: 'It was written off and is never charged.',
};

/**
 * MGR-7 / PAY-10, for one payment:
 * - `retry_now`: pending or unknown → due now; quarantined → `unknown`, so the worker looks it up
 *   before any charge under the same key (I4). Anything else has nothing to retry.
 * - `write_off`, `resolve_paid_elsewhere`: pending or quarantined → `written_off`, never charged,
 *   with the manager's follow-up; declined or expired → state kept (it is what the gateway said),
 *   followed up once. `unknown` may hold a real charge and `captured` did: never written off.
 * A payment a gateway call holds right now (a live lease) is left alone: its outcome is coming.
 */
function decide(action: PaymentAction, row: PaymentRow, reason: string | null, who: Who, now: string): Decision {
  const inFlight = row.lease_owner !== null && row.lease_expires_at !== null && row.lease_expires_at > now;
  const open = row.state === 'pending' || row.state === 'unknown' || row.state === 'quarantined';
  if (open && inFlight) {
    return { kind: 'refuse', message: 'A gateway call for it is in flight right now; try again in a minute.' };
  }
  if (action === 'retry_now') {
    if (row.state === 'pending' || row.state === 'unknown') {
      const waits = row.state === 'pending' && row.sale_received_at === null;
      return {
        kind: 'change',
        update: { next_attempt_at: now, updated_at: now },
        message: waits
          ? 'Due now; it is charged only once its sale arrives (until then it is only looked up).'
          : 'Due now; the worker takes it on its next pass.',
      };
    }
    if (row.state === 'quarantined') {
      return {
        kind: 'change',
        update: {
          state: 'unknown',
          error_count: 0,
          next_attempt_at: now,
          quarantine_reason: null,
          message: `Sent back by ${who.name}; looked up at the gateway before any charge`,
          updated_at: now,
        },
        message: 'Sent back: it is looked up at the gateway first, then captured under the same key if not charged.',
      };
    }
    return { kind: 'refuse', message: CANNOT_RETRY[row.state] ?? `It is ${row.state}: there is nothing to retry.` };
  }

  const followUp = FOLLOW_UP_OF[action];
  const followUpColumns = {
    follow_up: followUp,
    follow_up_by: who.by,
    follow_up_reason: reason,
    follow_up_at: now,
    updated_at: now,
  };
  switch (row.state) {
    case 'pending':
    case 'quarantined': {
      const note =
        followUp === 'written_off'
          ? `Written off by ${who.name}: ${reason}`
          : `Paid another way (recorded by ${who.name}): ${reason}`;
      return {
        kind: 'change',
        update: {
          ...followUpColumns,
          state: 'written_off',
          written_off_by: who.by,
          written_off_reason: reason,
          message: note,
        },
        message: 'Written off: it will never be charged.',
      };
    }
    case 'declined':
    case 'expired':
      if (row.follow_up !== null) {
        return {
          kind: 'refuse',
          message: `It was already followed up (${row.follow_up.replace('_', ' ')} by ${row.follow_up_by ?? 'a manager'}).`,
        };
      }
      return { kind: 'change', update: followUpColumns, message: `Followed up; it stays ${row.state}.` };
    case 'unknown':
      return {
        kind: 'refuse',
        message:
          'Its outcome at the gateway is unknown and it may have been charged: let it be looked up first (retry now), then decide.',
      };
    case 'captured':
      return {
        kind: 'refuse',
        message: 'It was charged: a captured payment cannot be written off (refund it at the gateway if needed).',
      };
    case 'written_off':
      return { kind: 'refuse', message: `It was already written off by ${row.written_off_by ?? 'a manager'}.` };
  }
}

/**
 * One action on one payment of the store, in its own transaction with its audit row (MGR-8):
 * a batch of actions never half-applies one payment, and one refused payment never blocks the
 * rest. Every state change takes a new `change_no`, so the till learns it (PAY-11).
 */
export async function actOnPayment(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  input: PaymentActionInput,
): Promise<PaymentActionResult> {
  return runInTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'update'))
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('store_id', '=', scope.storeId)
      .where('id', '=', input.paymentId)
      .executeTakeFirst();
    if (row === undefined) {
      return {
        paymentId: input.paymentId,
        outcome: 'not_found',
        state: null,
        message: 'No such payment in this store.',
      };
    }
    const manager = scope.manager;
    const who = { by: `${manager.name} <${manager.email}>`, name: manager.name };
    const decision = decide(input.action, row, input.reason, who, input.now);
    if (decision.kind === 'refuse') {
      return { paymentId: row.id, outcome: 'not_allowed', state: row.state, message: decision.message };
    }
    const update = { ...decision.update };
    const to = update.state ?? row.state;
    if (to !== row.state) update.change_no = await nextChangeNo(trx);
    await trx
      .updateTable('payments')
      .set(update)
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', row.id)
      .execute();
    await insertAudit(trx, actorOf(manager), {
      storeId: scope.storeId,
      action: `payment.${input.action}`,
      targetType: 'payment',
      targetId: row.id,
      reason: input.reason,
      detail: {
        from: row.state,
        to,
        amount: Number(row.amount),
        currency: row.currency,
        ...(update.follow_up !== undefined && { followUp: update.follow_up }),
      },
      at: input.now,
    });
    return { paymentId: row.id, outcome: 'done', state: to, message: decision.message };
  });
}
