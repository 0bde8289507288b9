import { type Amount, PAYMENT_STATES, type PaymentsResponse, type SaleDetail } from '@till/shared';
import { type Kysely, sql } from 'kysely';
import type { PaymentFilter } from '../../../console/operations-store.ts';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { olderThan, pageOf } from './page.ts';
import { toConsolePaymentRow } from './rows.ts';

/** What a manager must still act on or wait for. */
const OPEN_STATES = ['pending', 'unknown', 'quarantined'] as const;

/** The store's payments with their sale (receipt, time, cashier) and device. */
export function paymentsQuery(db: Kysely<LedgerTables>, scope: ConsoleScope) {
  return db
    .selectFrom('payments')
    .innerJoin('devices', 'devices.id', 'payments.device_id')
    .leftJoin('sales', (join) =>
      join
        .onRef('sales.id', '=', 'payments.sale_id')
        .on('sales.tenant_id', '=', scope.tenantId)
        .on('sales.store_id', '=', scope.storeId),
    )
    .selectAll('payments')
    .select([
      'sales.receipt_no',
      'sales.created_at as sale_created_at',
      'sales.cashier',
      'devices.device_no',
      'devices.name as device_name',
    ])
    .where('payments.tenant_id', '=', scope.tenantId)
    .where('payments.store_id', '=', scope.storeId);
}

export async function consolePayments(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  filter: PaymentFilter,
): Promise<PaymentsResponse> {
  let query = paymentsQuery(db, scope);
  if (filter.view === 'open') query = query.where('payments.state', 'in', OPEN_STATES);
  if (filter.view === 'declined_after_forwarding') {
    query = query.where('payments.entry', '=', 'stored').where('payments.state', '=', 'declined');
  }
  if (filter.state !== undefined) query = query.where('payments.state', '=', filter.state);
  if (filter.deviceId !== undefined) query = query.where('payments.device_id', '=', filter.deviceId);
  // The day of the sale it pays; a payment no sale has confirmed yet counts on the day it was first seen.
  const day = sql<string>`coalesce(${sql.ref('sales.created_at')}, ${sql.ref('payments.created_at')})`;
  if (filter.range.from !== undefined) query = query.where(day, '>=', filter.range.from);
  if (filter.range.to !== undefined) query = query.where(day, '<', filter.range.to);
  if (filter.before !== undefined) {
    query = query.where(olderThan('payments.created_at', 'payments.id', filter.before));
  }
  const [rows, counts] = await Promise.all([
    query
      .orderBy('payments.created_at', 'desc')
      .orderBy('payments.id', 'desc')
      .limit(filter.limit + 1)
      .execute(),
    paymentCounts(db, scope),
  ]);
  const page = pageOf(rows, filter.limit, (row) => ({ at: row.created_at, id: row.id }), toConsolePaymentRow);
  return { counts, payments: page.items, nextBefore: page.nextBefore };
}

/** Every payment of the store by state, every state present (zeros too). */
async function paymentCounts(db: Kysely<LedgerTables>, scope: ConsoleScope): Promise<Record<string, Amount>> {
  const rows = await db
    .selectFrom('payments')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount').as('amount')])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId)
    .groupBy('state')
    .execute();
  const counts: Record<string, Amount> = {};
  for (const state of PAYMENT_STATES) counts[state] = { count: 0, amount: 0 };
  for (const row of rows) counts[row.state] = { count: Number(row.n), amount: Number(row.amount ?? 0) };
  return counts;
}

/** The card payments of one sale, each with its attempt log. */
export async function paymentsOfSale(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  saleId: string,
): Promise<SaleDetail['payments']> {
  const payments = await paymentsQuery(db, scope)
    .where('payments.sale_id', '=', saleId)
    .orderBy('payments.created_at')
    .orderBy('payments.id')
    .execute();
  if (payments.length === 0) return [];
  const attempts = await db
    .selectFrom('payment_attempts')
    .select(['payment_id', 'n', 'kind', 'started_at', 'finished_at', 'outcome', 'code', 'message'])
    .where('tenant_id', '=', scope.tenantId)
    .where(
      'payment_id',
      'in',
      payments.map((payment) => payment.id),
    )
    .orderBy('payment_id')
    .orderBy('n')
    .execute();
  return payments.map((payment) => ({
    payment: toConsolePaymentRow(payment),
    attempts: attempts
      .filter((attempt) => attempt.payment_id === payment.id)
      .map((attempt) => ({
        n: attempt.n,
        kind: attempt.kind,
        startedAt: attempt.started_at,
        finishedAt: attempt.finished_at,
        outcome: attempt.outcome,
        code: attempt.code,
        message: attempt.message,
      })),
  }));
}
