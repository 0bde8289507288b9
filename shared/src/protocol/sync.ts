import Type, { type Static } from 'typebox';
import { PROTOCOL_VERSION, Timestamp, Uuid } from './common.ts';
import { Sale } from './sale.ts';

/** Most sales one push may carry. A till sends larger backlogs as several batches. */
export const MAX_SALES_PER_PUSH = 200;

/** What the till reports about itself on every push, for the manager's device list. */
export const DeviceStatus = Type.Object(
  {
    appVersion: Type.String({ maxLength: 32 }),
    unsentCount: Type.Integer({ minimum: 0 }),
    oldestUnsentAt: Type.Union([Timestamp, Type.Null()]),
    storagePersisted: Type.Union([Type.Boolean(), Type.Null()], { description: 'null: the browser cannot tell' }),
  },
  { additionalProperties: false },
);
export type DeviceStatus = Static<typeof DeviceStatus>;

export const PushRequest = Type.Object(
  {
    protocolVersion: Type.Literal(PROTOCOL_VERSION),
    batchId: Uuid,
    sales: Type.Array(Sale, { maxItems: MAX_SALES_PER_PUSH }),
    deviceStatus: Type.Optional(DeviceStatus),
  },
  { additionalProperties: false },
);
export type PushRequest = Static<typeof PushRequest>;

/**
 * Why the server flagged a sale. A flagged sale IS stored (the till may mark it sent); the flag
 * is for a manager to look at.
 */
export const FLAG_CODES = [
  'seq_gap',
  'seq_reuse',
  'hash_break',
  'hash_invalid',
  'totals_mismatch',
  'tender_mismatch',
  'currency_mismatch',
  'payload_conflict',
  'payment_unverified',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];
export const FlagCodeSchema = Type.Enum([...FLAG_CODES]);

export const SaleStatus = Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('flagged')]);
export type SaleStatus = Static<typeof SaleStatus>;

export const SaleResult = Type.Object({
  saleId: Uuid,
  deviceSeq: Type.Integer({ minimum: 1 }),
  status: SaleStatus,
  flags: Type.Array(FlagCodeSchema),
});
export type SaleResult = Static<typeof SaleResult>;

export const PushResponse = Type.Object({
  protocolVersion: Type.Literal(PROTOCOL_VERSION),
  batchId: Uuid,
  receivedAt: Timestamp,
  results: Type.Array(SaleResult, { description: 'One per sale sent, in the order sent' }),
  ackedSeq: Type.Integer({ minimum: 0, description: 'Highest deviceSeq with every earlier seq stored' }),
});
export type PushResponse = Static<typeof PushResponse>;

export const BreakerStateSchema = Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]);

/** The payment gateway as this server sees it (its circuit breaker). */
export const GatewayHealth = Type.Object({
  breaker: BreakerStateSchema,
  retryAfterSeconds: Type.Integer({ minimum: 0, description: 'When open: seconds until the next probe' }),
  backlog: Type.Integer({ minimum: 0, description: 'Card payments waiting to be captured' }),
});
export type GatewayHealth = Static<typeof GatewayHealth>;

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  protocolVersion: Type.Integer(),
  time: Timestamp,
  checks: Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('failing')])),
  gateway: Type.Optional(GatewayHealth),
});
export type HealthResponse = Static<typeof HealthResponse>;
