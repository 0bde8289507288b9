import Type, { type Static } from 'typebox';
import { PROTOCOL_VERSION, Timestamp, Uuid } from './common.ts';
import { MAX_SALES_PER_PUSH } from './constants.ts';
import { Sale } from './sale.ts';

export { MAX_SALES_PER_PUSH } from './constants.ts';

/** What the till reports about itself on every push, for the manager's device list. */
export const DeviceStatus = Type.Object(
  {
    appVersion: Type.String({ maxLength: 32 }),
    unsentCount: Type.Integer({
      minimum: 0,
      description: 'Sales still unsent once this push is stored (the batch itself not counted)',
    }),
    oldestUnsentAt: Type.Union([Timestamp, Type.Null()], { description: 'The oldest of those, or null' }),
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

/** One route's admission control in this server process (SPEC SCALE-5). */
export const AdmissionHealth = Type.Object({
  maxConcurrent: Type.Integer({ minimum: 1 }),
  queueLimit: Type.Integer({ minimum: 0 }),
  inFlight: Type.Integer({ minimum: 0 }),
  queued: Type.Integer({ minimum: 0 }),
  admitted: Type.Integer({ minimum: 0, description: 'Requests let in since the process started' }),
  shed: Type.Integer({ minimum: 0, description: 'Requests answered 429 since the process started' }),
  shedQueueFull: Type.Integer({ minimum: 0 }),
  shedQueueTimeout: Type.Integer({ minimum: 0 }),
  shedDeviceBusy: Type.Integer({ minimum: 0 }),
  abandoned: Type.Integer({ minimum: 0, description: 'Clients that went away while queued' }),
  peakInFlight: Type.Integer({ minimum: 0 }),
  peakQueued: Type.Integer({ minimum: 0 }),
  serviceMs: Type.Integer({ minimum: 0, description: 'Moving average of how long an admitted request takes' }),
  waitingDevices: Type.Integer({ minimum: 0, description: 'Devices shed in the last minute and not served since' }),
});
export type AdmissionHealth = Static<typeof AdmissionHealth>;

/** Load shedding of this process: present for each route where it is on. */
export const LoadHealth = Type.Object({
  push: Type.Optional(AdmissionHealth),
  capture: Type.Optional(AdmissionHealth),
});
export type LoadHealth = Static<typeof LoadHealth>;

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  protocolVersion: Type.Integer(),
  time: Timestamp,
  checks: Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('failing')])),
  gateway: Type.Optional(GatewayHealth),
  load: Type.Optional(LoadHealth),
});
export type HealthResponse = Static<typeof HealthResponse>;
