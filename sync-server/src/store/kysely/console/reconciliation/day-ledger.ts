import type { PaymentState } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ConsoleScope, InstantRange } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { isWithin, tillTimeWindow } from './till-time.ts';

/** A sale of the day, as the reconciliation reads it (no payload parsing: MGR-9 figures come from columns). */
export interface DaySale {
  id: string;
  deviceId: string;
  deviceSeq: number;
  createdAt: string;
  total: number;
  tax: number;
  discount: number;
  cash: number;
  card: number;
  flagged: boolean;
}

/** A card payment of one of the day's sales. */
export interface DayCardPayment {
  id: string;
  saleId: string;
  amount: number;
  state: PaymentState;
  entry: 'live' | 'stored';
  gatewayRef: string | null;
  followUp: 'written_off' | 'paid_elsewhere' | null;
}

/** The store's sales and their card payments for one store-time day (by the till's clock). */
export interface DayLedger {
  sales: DaySale[];
  cardPayments: DayCardPayment[];
}

export async function loadDayLedger(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  range: InstantRange,
): Promise<DayLedger> {
  const window = tillTimeWindow(range);
  const saleRows = await db
    .selectFrom('sales')
    .select([
      'id',
      'device_id',
      'device_seq',
      'created_at',
      'total',
      'tax',
      'discount',
      'cash_total',
      'card_total',
      'status',
    ])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId)
    .where('created_at', '>=', window.from)
    .where('created_at', '<', window.to)
    .orderBy('device_id')
    .orderBy('device_seq')
    .execute();
  const sales = saleRows
    .filter((row) => isWithin(row.created_at, range))
    .map(
      (row): DaySale => ({
        id: row.id,
        deviceId: row.device_id,
        deviceSeq: row.device_seq,
        createdAt: row.created_at,
        total: Number(row.total),
        tax: Number(row.tax),
        discount: Number(row.discount),
        cash: Number(row.cash_total),
        card: Number(row.card_total),
        flagged: row.status === 'flagged',
      }),
    );

  // The payments carrying the day's sales: joined through the sale, so a live capture whose
  // sale has not arrived is not part of any day's split (the alerts report it instead).
  const daySaleIds = new Set(sales.map((sale) => sale.id));
  const paymentRows = await db
    .selectFrom('payments')
    .innerJoin('sales', (join) =>
      join.onRef('sales.tenant_id', '=', 'payments.tenant_id').onRef('sales.id', '=', 'payments.sale_id'),
    )
    .select([
      'payments.id',
      'payments.sale_id',
      'payments.amount',
      'payments.state',
      'payments.entry',
      'payments.gateway_ref',
      'payments.follow_up',
    ])
    .where('payments.tenant_id', '=', scope.tenantId)
    .where('payments.store_id', '=', scope.storeId)
    .where('sales.store_id', '=', scope.storeId)
    .where('sales.created_at', '>=', window.from)
    .where('sales.created_at', '<', window.to)
    .orderBy('payments.id')
    .execute();
  const cardPayments = paymentRows.flatMap((row): DayCardPayment[] =>
    row.sale_id !== null && daySaleIds.has(row.sale_id)
      ? [
          {
            id: row.id,
            saleId: row.sale_id,
            amount: Number(row.amount),
            state: row.state,
            entry: row.entry,
            gatewayRef: row.gateway_ref,
            followUp: row.follow_up,
          },
        ]
      : [],
  );
  return { sales, cardPayments };
}
