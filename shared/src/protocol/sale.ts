import Type, { type Static } from 'typebox';
import { Currency, HexHash, MinorUnits, NonNegativeMinorUnits, TaxModeSchema, Timestamp, Uuid } from './common.ts';

/** A line as sold: a snapshot of the product, so later catalog edits never change a sale. */
export const SaleLine = Type.Object(
  {
    lineNo: Type.Integer({ minimum: 1, maximum: 500 }),
    productId: Type.Union([Uuid, Type.Null()], { description: 'null for an open-price item' }),
    sku: Type.String({ maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    qty: Type.Integer({
      minimum: -9999,
      maximum: 9999,
      not: { const: 0 },
      description: 'Units; negative for a refund',
    }),
    unitPrice: NonNegativeMinorUnits,
    discount: NonNegativeMinorUnits,
    taxRateBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
  },
  { additionalProperties: false },
);
export type SaleLine = Static<typeof SaleLine>;

/** Cash handed over: `amount` pays the sale, `change` goes back to the customer. */
export const CashTender = Type.Object(
  {
    id: Uuid,
    kind: Type.Literal('cash'),
    amount: MinorUnits,
    tendered: MinorUnits,
    change: NonNegativeMinorUnits,
  },
  { additionalProperties: false },
);
export type CashTender = Static<typeof CashTender>;

/** How a sale was paid. A discriminated union on `kind`; card tenders join it later. */
export const Tender = Type.Union([CashTender]);
export type Tender = Static<typeof Tender>;

export const SaleTotalsSchema = Type.Object(
  { subtotal: MinorUnits, discount: MinorUnits, tax: MinorUnits, total: MinorUnits },
  { additionalProperties: false },
);

/**
 * A completed sale, immutable. Made on the till; the server stores it as sent and checks it.
 * `hash` = SHA-256 of the canonical JSON of every other member (see `hash-chain.ts`).
 */
export const Sale = Type.Object(
  {
    id: Uuid,
    deviceSeq: Type.Integer({ minimum: 1, description: '1, 2, 3… per device; no reuse, no gaps' }),
    prevHash: HexHash,
    hash: HexHash,
    receiptNo: Type.String({ minLength: 1, maxLength: 40 }),
    createdAt: Timestamp,
    currency: Currency,
    taxMode: TaxModeSchema,
    lines: Type.Array(SaleLine, { minItems: 1, maxItems: 500 }),
    totals: SaleTotalsSchema,
    tenders: Type.Array(Tender, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false, $id: 'Sale' },
);
export type Sale = Static<typeof Sale>;
/** A sale before it is sealed into the chain. */
export type UnsealedSale = Omit<Sale, 'hash'>;
