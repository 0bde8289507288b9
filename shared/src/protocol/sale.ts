import Type, { type Static } from 'typebox';
import { MAX_MINOR_UNITS } from '../money.ts';
import { Currency, HexHash, MinorUnits, NonNegativeMinorUnits, TaxModeSchema, Timestamp, Uuid } from './common.ts';
import { GATEWAY_TOKEN_PATTERN } from './constants.ts';

export { GATEWAY_TOKEN_PATTERN, isGatewayToken } from './constants.ts';

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

/** A gateway token for a card, never the card itself: see `GATEWAY_TOKEN_PATTERN` (I8). */
export const GatewayToken = Type.String({
  pattern: GATEWAY_TOKEN_PATTERN,
  description: 'Token from the card reader / gateway (e.g. pm_…); never a card number',
});

/** How a card tender was completed at the till. */
export const CardEntry = Type.Union([Type.Literal('live'), Type.Literal('stored')], {
  description: 'live: captured online before the sale completed; stored: store-and-forward, captured later',
});
export type CardEntry = Static<typeof CardEntry>;

/** Why a card payment was stored rather than captured live. */
export const StoredReason = Type.Union([
  Type.Literal('offline'),
  Type.Literal('server_unreachable'),
  Type.Literal('gateway_unavailable'),
  Type.Literal('timeout'),
]);
export type StoredReason = Static<typeof StoredReason>;

/**
 * A card payment. `id` is made on the till and is the gateway idempotency key for the payment's
 * whole life — live attempt, store, forward, retries — never regenerated (I4). It holds only the
 * gateway token, brand and last 4 digits: no card number, expiry or CVV (I8).
 */
export const CardTender = Type.Object(
  {
    id: Uuid,
    kind: Type.Literal('card'),
    amount: Type.Integer({ minimum: 1, maximum: MAX_MINOR_UNITS }),
    brand: Type.String({ minLength: 1, maxLength: 20 }),
    last4: Type.String({ pattern: '^[0-9]{4}$' }),
    gatewayToken: GatewayToken,
    entry: CardEntry,
    gatewayRef: Type.Union([Type.String({ maxLength: 255 }), Type.Null()], {
      description: 'The gateway charge reference when captured live; null when stored',
    }),
    storedReason: Type.Union([StoredReason, Type.Null()]),
  },
  { additionalProperties: false },
);
export type CardTender = Static<typeof CardTender>;

/** How a sale was paid: a discriminated union on `kind`. */
export const Tender = Type.Union([CashTender, CardTender]);
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
    shiftId: Type.Optional(Uuid),
    cashier: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'Who rang the sale up (the shift’s cashier)' }),
    ),
  },
  { additionalProperties: false, $id: 'Sale' },
);
export type Sale = Static<typeof Sale>;
/** A sale before it is sealed into the chain. */
export type UnsealedSale = Omit<Sale, 'hash'>;
