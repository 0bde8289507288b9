import Type, { type Static } from 'typebox';
import { Currency, MinorUnits, Timestamp, Uuid } from '../common.ts';
import { Amount, DayString } from './session.ts';
import { ShiftRow } from './shifts.ts';
import { CardOutcomes } from './today.ts';

export const ReconciliationCheck = Type.Object({
  id: Type.String({ description: 'e.g. card_total_splits, all_sales_in, no_sequence_issues, drawers_balance' }),
  label: Type.String(),
  ok: Type.Boolean(),
  detail: Type.String(),
});
export type ReconciliationCheck = Static<typeof ReconciliationCheck>;

/**
 * The printable end-of-day reconciliation (MGR-11): till ↔ server ↔ gateway for one store-time
 * day. `balances` is true when every check is ok.
 */
export const DayReport = Type.Object({
  storeId: Uuid,
  storeName: Type.String(),
  storeCode: Type.String(),
  date: DayString,
  timezone: Type.String(),
  currency: Currency,
  from: Timestamp,
  to: Timestamp,
  generatedAt: Timestamp,
  sales: Type.Object({
    count: Type.Integer(),
    total: MinorUnits,
    tax: MinorUnits,
    discount: MinorUnits,
    flagged: Type.Integer(),
  }),
  tenders: Type.Object({ cash: Amount, card: Amount }),
  cardOutcomes: CardOutcomes,
  declinedAfterForwarding: Type.Object({
    count: Type.Integer(),
    amount: MinorUnits,
    writtenOff: Amount,
    paidElsewhere: Amount,
    open: Amount,
  }),
  devices: Type.Array(
    Type.Object({
      deviceId: Uuid,
      deviceNo: Type.Integer(),
      name: Type.String(),
      saleCount: Type.Integer(),
      total: MinorUnits,
      firstSeq: Type.Union([Type.Integer(), Type.Null()]),
      lastSeq: Type.Union([Type.Integer(), Type.Null()]),
      /** Seqs within [firstSeq, lastSeq] of the day the server does not have. */
      missingSeqs: Type.Integer(),
      unsentReported: Type.Union([Type.Integer(), Type.Null()]),
      lastSeenAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
  batches: Type.Object({
    count: Type.Integer(),
    sales: Type.Integer(),
    duplicates: Type.Integer(),
    flagged: Type.Integer(),
  }),
  sequenceIssues: Type.Object({ open: Type.Integer(), resolved: Type.Integer() }),
  drawers: Type.Array(ShiftRow),
  /** The gateway's side: charges the server recorded as captured, with a gateway reference. */
  gateway: Type.Object({ captured: Amount, withReference: Type.Integer() }),
  checks: Type.Array(ReconciliationCheck),
  balances: Type.Boolean(),
});
export type DayReport = Static<typeof DayReport>;
