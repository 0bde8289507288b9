import Type, { type Static } from 'typebox';
import { Currency, MinorUnits, Timestamp, Uuid } from '../common.ts';
import { SaleLine } from '../sale.ts';
import { FlagCodeSchema } from '../sync.ts';
import { PaymentAttemptRow, PaymentRow } from './payments.ts';
import { DayString, PageQuery } from './session.ts';

export const BatchRow = Type.Object({
  id: Uuid,
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  deviceName: Type.String(),
  receivedAt: Timestamp,
  saleCount: Type.Integer(),
  newCount: Type.Integer(),
  duplicateCount: Type.Integer(),
  flaggedCount: Type.Integer(),
  total: MinorUnits,
});
export type BatchRow = Static<typeof BatchRow>;

export const BatchesQuery = Type.Object(
  { ...PageQuery, from: Type.Optional(DayString), to: Type.Optional(DayString), deviceId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type BatchesQuery = Static<typeof BatchesQuery>;

export const BatchesResponse = Type.Object({
  batches: Type.Array(BatchRow),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type BatchesResponse = Static<typeof BatchesResponse>;

export const SaleRow = Type.Object({
  id: Uuid,
  receiptNo: Type.String(),
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  deviceSeq: Type.Integer(),
  createdAt: Timestamp,
  receivedAt: Timestamp,
  total: MinorUnits,
  tax: MinorUnits,
  cash: MinorUnits,
  card: MinorUnits,
  cashier: Type.Union([Type.String(), Type.Null()]),
  shiftId: Type.Union([Uuid, Type.Null()]),
  status: Type.Union([Type.Literal('new'), Type.Literal('flagged')]),
  flags: Type.Array(FlagCodeSchema),
});
export type SaleRow = Static<typeof SaleRow>;

export const BatchDetail = Type.Object({
  batch: BatchRow,
  sales: Type.Array(
    Type.Object({
      position: Type.Integer(),
      status: Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('flagged')]),
      sale: SaleRow,
    }),
  ),
});
export type BatchDetail = Static<typeof BatchDetail>;

export const SalesQuery = Type.Object(
  {
    ...PageQuery,
    receiptNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Exact, or a part of it' })),
    from: Type.Optional(DayString),
    to: Type.Optional(DayString),
    deviceId: Type.Optional(Uuid),
    minTotal: Type.Optional(MinorUnits),
    maxTotal: Type.Optional(MinorUnits),
    tender: Type.Optional(Type.Union([Type.Literal('cash'), Type.Literal('card')])),
    flagged: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SalesQuery = Static<typeof SalesQuery>;

export const SalesResponse = Type.Object({
  sales: Type.Array(SaleRow),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type SalesResponse = Static<typeof SalesResponse>;

export const SaleDetail = Type.Object({
  sale: SaleRow,
  batchId: Uuid,
  currency: Currency,
  lines: Type.Array(SaleLine),
  totals: Type.Object({ subtotal: MinorUnits, discount: MinorUnits, tax: MinorUnits, total: MinorUnits }),
  /** Tenders as sold, without gateway tokens. */
  tenders: Type.Array(
    Type.Object({
      id: Uuid,
      kind: Type.Union([Type.Literal('cash'), Type.Literal('card')]),
      amount: MinorUnits,
      tendered: Type.Optional(MinorUnits),
      change: Type.Optional(MinorUnits),
      brand: Type.Optional(Type.String()),
      last4: Type.Optional(Type.String()),
      entry: Type.Optional(Type.String()),
    }),
  ),
  payments: Type.Array(Type.Object({ payment: PaymentRow, attempts: Type.Array(PaymentAttemptRow) })),
  sequenceIssues: Type.Array(
    Type.Object({
      kind: Type.String(),
      fromSeq: Type.Integer(),
      toSeq: Type.Integer(),
      detail: Type.String(),
      resolvedAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
  conflictingCopies: Type.Integer({ description: 'Copies received with the same id and other content (kept aside)' }),
});
export type SaleDetail = Static<typeof SaleDetail>;
