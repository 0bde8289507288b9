import Type, { type Static } from 'typebox';
import { Currency, NonNegativeMinorUnits, Timestamp, Uuid } from '../common.ts';
import { FOLLOW_UPS, PAYMENT_ACTIONS, PAYMENT_VIEWS } from '../constants.ts';
import { PaymentStateSchema } from '../payments.ts';
import { Amount, DayString, PageQuery, Reason } from './session.ts';

export const PaymentAttemptRow = Type.Object({
  n: Type.Integer(),
  kind: Type.Union([Type.Literal('capture'), Type.Literal('lookup')]),
  startedAt: Timestamp,
  finishedAt: Timestamp,
  outcome: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
});
export type PaymentAttemptRow = Static<typeof PaymentAttemptRow>;

export const PaymentRow = Type.Object({
  id: Uuid,
  saleId: Type.Union([Uuid, Type.Null()]),
  receiptNo: Type.Union([Type.String(), Type.Null()]),
  saleCreatedAt: Type.Union([Timestamp, Type.Null()]),
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  deviceName: Type.String(),
  cashier: Type.Union([Type.String(), Type.Null()]),
  amount: NonNegativeMinorUnits,
  currency: Currency,
  brand: Type.String(),
  last4: Type.String(),
  entry: Type.Union([Type.Literal('live'), Type.Literal('stored')]),
  storedReason: Type.Union([Type.String(), Type.Null()]),
  state: PaymentStateSchema,
  attempts: Type.Integer(),
  gatewayRef: Type.Union([Type.String(), Type.Null()]),
  declineCode: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  quarantineReason: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  capturedAt: Type.Union([Timestamp, Type.Null()]),
  /** The manager's decision, for write-offs and for declined/expired payments followed up. */
  followUp: Type.Union([Type.Enum([...FOLLOW_UPS]), Type.Null()]),
  followUpBy: Type.Union([Type.String(), Type.Null()]),
  followUpReason: Type.Union([Type.String(), Type.Null()]),
  followUpAt: Type.Union([Timestamp, Type.Null()]),
});
export type PaymentRow = Static<typeof PaymentRow>;

export const PaymentsQuery = Type.Object(
  {
    ...PageQuery,
    state: Type.Optional(PaymentStateSchema),
    view: Type.Optional(
      Type.Enum([...PAYMENT_VIEWS], {
        description:
          'open: pending, unknown, quarantined; declined_after_forwarding: stored payments the gateway declined later; all',
      }),
    ),
    deviceId: Type.Optional(Uuid),
    from: Type.Optional(DayString),
    to: Type.Optional(DayString),
  },
  { additionalProperties: false },
);
export type PaymentsQuery = Static<typeof PaymentsQuery>;

export const PaymentsResponse = Type.Object({
  counts: Type.Record(Type.String(), Amount, {
    description: 'Every payment of the store by state, whatever the filter',
  }),
  payments: Type.Array(PaymentRow),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type PaymentsResponse = Static<typeof PaymentsResponse>;

/**
 * One action on one or many payments (MGR-7). `retry_now`: a pending, unknown or quarantined
 * payment is made due at once (a quarantined one becomes `unknown`, looked up before any charge).
 * `write_off`: the shop gives up the money — a pending/quarantined payment becomes `written_off`
 * (never charged); a declined or expired one keeps its state and is marked followed up.
 * `resolve_paid_elsewhere`: the customer paid another way; same effects, recorded as such.
 */
export const PaymentActionRequest = Type.Object(
  {
    action: Type.Enum([...PAYMENT_ACTIONS]),
    paymentIds: Type.Array(Uuid, { minItems: 1, maxItems: 100 }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type PaymentActionRequest = Static<typeof PaymentActionRequest>;

export const PaymentActionResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      paymentId: Uuid,
      outcome: Type.Union([Type.Literal('done'), Type.Literal('not_allowed'), Type.Literal('not_found')]),
      state: Type.Union([PaymentStateSchema, Type.Null()]),
      message: Type.String(),
    }),
  ),
});
export type PaymentActionResponse = Static<typeof PaymentActionResponse>;
