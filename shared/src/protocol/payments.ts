import Type, { type Static } from 'typebox';
import { MAX_MINOR_UNITS } from '../money.ts';
import { Currency, Timestamp, Uuid } from './common.ts';
import { PAYMENT_STATES } from './constants.ts';
import { GatewayToken } from './sale.ts';

/**
 * Live capture: the till asks the server to charge a card now. `paymentId` is the gateway
 * idempotency key (I4); a retry, a later forward or a worker attempt all reuse it.
 */
export const CaptureRequest = Type.Object(
  {
    paymentId: Uuid,
    saleId: Uuid,
    amount: Type.Integer({ minimum: 1, maximum: MAX_MINOR_UNITS }),
    currency: Currency,
    gatewayToken: GatewayToken,
    brand: Type.String({ minLength: 1, maxLength: 20 }),
    last4: Type.String({ pattern: '^[0-9]{4}$' }),
    reference: Type.String({ minLength: 1, maxLength: 40, description: 'Receipt number' }),
  },
  { additionalProperties: false },
);
export type CaptureRequest = Static<typeof CaptureRequest>;

/**
 * The gateway's final word on a live capture. Anything else — 503 `gateway_unavailable`
 * (breaker open, gateway down or failing), 504 `gateway_timeout` (outcome unknown), a network
 * error — means the till completes the sale with the payment *stored*, same id.
 */
export const CaptureResponse = Type.Object({
  paymentId: Uuid,
  status: Type.Union([Type.Literal('captured'), Type.Literal('declined')]),
  gatewayRef: Type.Union([Type.String(), Type.Null()]),
  declineCode: Type.Union([Type.String(), Type.Null()]),
  message: Type.String({ description: 'For the cashier, e.g. "Declined: insufficient funds"' }),
});
export type CaptureResponse = Static<typeof CaptureResponse>;

export { PAYMENT_STATES, type PaymentState, TERMINAL_PAYMENT_STATES } from './constants.ts';
export const PaymentStateSchema = Type.Enum([...PAYMENT_STATES]);

export const PaymentUpdate = Type.Object({
  paymentId: Uuid,
  saleId: Type.Union([Uuid, Type.Null()]),
  state: PaymentStateSchema,
  amount: Type.Integer(),
  gatewayRef: Type.Union([Type.String(), Type.Null()]),
  declineCode: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  updatedAt: Timestamp,
});
export type PaymentUpdate = Static<typeof PaymentUpdate>;

export const PaymentUpdatesQuery = Type.Object(
  { since: Type.Optional(Type.Integer({ minimum: 0, description: 'Cursor from the previous answer' })) },
  { additionalProperties: false },
);

/** Outcomes of this device's card payments changed after `since`, oldest change first. */
export const PaymentUpdatesResponse = Type.Object({
  cursor: Type.Integer({ minimum: 0, description: 'Pass as `since` next time' }),
  payments: Type.Array(PaymentUpdate),
});
export type PaymentUpdatesResponse = Static<typeof PaymentUpdatesResponse>;
