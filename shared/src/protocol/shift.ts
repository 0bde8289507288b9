import Type, { type Static } from 'typebox';
import { MinorUnits, NonNegativeMinorUnits, PROTOCOL_VERSION, Timestamp, Uuid } from './common.ts';
import { MAX_SHIFT_EVENTS_PER_PUSH } from './constants.ts';

export { MAX_SHIFT_EVENTS_PER_PUSH } from './constants.ts';

/**
 * A cash-drawer shift, as a till records it: immutable events, each with its own client-made id
 * (idempotent like sales). A shift is opened with a float, may have cash paid in or out, and is
 * closed with the cash counted. The server folds the events into one shift row and works out
 * the expected cash from the sales it has received for the shift (SHIFT-3).
 */
export const ShiftOpened = Type.Object(
  {
    kind: Type.Literal('opened'),
    id: Uuid,
    shiftId: Uuid,
    at: Timestamp,
    cashier: Type.String({ minLength: 1, maxLength: 60, description: 'Who opened the drawer' }),
    openingFloat: NonNegativeMinorUnits,
  },
  { additionalProperties: false },
);
export type ShiftOpened = Static<typeof ShiftOpened>;

/** Cash put into (positive) or taken out of (negative) the drawer outside a sale. */
export const ShiftCashMovement = Type.Object(
  {
    kind: Type.Literal('cash_movement'),
    id: Uuid,
    shiftId: Uuid,
    at: Timestamp,
    amount: MinorUnits,
    reason: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type ShiftCashMovement = Static<typeof ShiftCashMovement>;

/** The drawer counted at the end of the shift, with what the till expected. */
export const ShiftClosed = Type.Object(
  {
    kind: Type.Literal('closed'),
    id: Uuid,
    shiftId: Uuid,
    at: Timestamp,
    countedCash: NonNegativeMinorUnits,
    expectedCash: MinorUnits,
    saleCount: Type.Integer({ minimum: 0, description: 'Sales the till recorded in this shift' }),
    lastSeq: Type.Integer({ minimum: 0, description: "The till's last deviceSeq when the shift closed" }),
    reason: Type.String({ maxLength: 200, description: 'Why the count is over or short; empty when it balances' }),
  },
  { additionalProperties: false },
);
export type ShiftClosed = Static<typeof ShiftClosed>;

export const ShiftEvent = Type.Union([ShiftOpened, ShiftCashMovement, ShiftClosed]);
export type ShiftEvent = Static<typeof ShiftEvent>;

export const ShiftPushRequest = Type.Object(
  {
    protocolVersion: Type.Literal(PROTOCOL_VERSION),
    events: Type.Array(ShiftEvent, { minItems: 1, maxItems: MAX_SHIFT_EVENTS_PER_PUSH }),
  },
  { additionalProperties: false },
);
export type ShiftPushRequest = Static<typeof ShiftPushRequest>;

export const ShiftEventResult = Type.Object({
  id: Uuid,
  status: Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('conflict')], {
    description: 'conflict: the id is known with other content, or the shift is another device’s; kept aside',
  }),
});
export type ShiftEventResult = Static<typeof ShiftEventResult>;

export const ShiftPushResponse = Type.Object({
  results: Type.Array(ShiftEventResult, { description: 'One per event sent, in the order sent' }),
});
export type ShiftPushResponse = Static<typeof ShiftPushResponse>;
