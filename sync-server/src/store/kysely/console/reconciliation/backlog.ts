import { TERMINAL_PAYMENT_STATES } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ConsoleScope, InstantRange } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';

const HOUR_MS = 3_600_000;

export interface BacklogPoint {
  at: string;
  count: number;
  amount: number;
}

/**
 * Card payments waiting at each hour boundary of the day, up to now: those that existed then
 * (created at or before it) and had not yet reached a terminal state. A payment became terminal
 * at `captured_at`; a declined or expired one at its last gateway attempt (a manager's later
 * follow-up changes `updated_at`, not when the gateway decided); a written-off one when it was
 * written off (`updated_at`). Boundaries step by real hours, so a DST day has 23 or 25.
 */
export async function captureBacklog(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  range: InstantRange,
  now: string,
): Promise<BacklogPoint[]> {
  const start = Date.parse(range.from);
  const end = Math.min(Date.parse(range.to), Date.parse(now));
  if (end < start) return [];
  const rows = await db
    .selectFrom('payments')
    .select(['id', 'amount', 'state', 'created_at', 'captured_at', 'updated_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId)
    .where('created_at', '<=', new Date(end).toISOString())
    .where((eb) =>
      eb.or([
        eb('state', 'not in', TERMINAL_PAYMENT_STATES),
        eb(eb.fn.coalesce('captured_at', 'updated_at'), '>', range.from),
      ]),
    )
    .execute();
  const decidedAt = await lastAttempts(
    db,
    scope,
    rows.filter((row) => row.state === 'declined' || row.state === 'expired').map((row) => row.id),
  );
  const payments = rows.map((row) => ({
    amount: Number(row.amount),
    createdAt: Date.parse(row.created_at),
    terminalAt: TERMINAL_PAYMENT_STATES.includes(row.state)
      ? Date.parse(row.captured_at ?? decidedAt.get(row.id) ?? row.updated_at)
      : Number.POSITIVE_INFINITY,
  }));
  const points: BacklogPoint[] = [];
  for (let at = start; at <= end; at += HOUR_MS) {
    const point: BacklogPoint = { at: new Date(at).toISOString(), count: 0, amount: 0 };
    for (const payment of payments) {
      if (payment.createdAt <= at && payment.terminalAt > at) {
        point.count += 1;
        point.amount += payment.amount;
      }
    }
    points.push(point);
  }
  return points;
}

/** When each payment's last gateway attempt finished. */
async function lastAttempts(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  paymentIds: readonly string[],
): Promise<Map<string, string>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('payment_attempts')
    .select((eb) => ['payment_id', eb.fn.max('finished_at').as('finished_at')])
    .where('tenant_id', '=', scope.tenantId)
    .where('payment_id', 'in', paymentIds)
    .groupBy('payment_id')
    .execute();
  return new Map(rows.map((row) => [row.payment_id, row.finished_at]));
}
