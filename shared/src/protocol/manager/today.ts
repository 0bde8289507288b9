import Type, { type Static } from 'typebox';
import { Currency, MinorUnits, Timestamp, Uuid } from '../common.ts';
import { ALERT_KINDS } from '../constants.ts';
import { Amount, DayString } from './session.ts';

/** Something a manager should act on, with where in the console to act. */
export const Alert = Type.Object({
  kind: Type.Enum([...ALERT_KINDS]),
  severity: Type.Union([Type.Literal('critical'), Type.Literal('warning')]),
  count: Type.Integer({ minimum: 1 }),
  amount: Type.Union([MinorUnits, Type.Null()]),
  message: Type.String({
    description: 'A sentence a manager understands, e.g. "2 stored card payments expire within 2 h"',
  }),
  page: Type.Union([Type.Literal('payments'), Type.Literal('devices'), Type.Literal('sales'), Type.Literal('drawers')]),
});
export type Alert = Static<typeof Alert>;

export const DeviceDayTotals = Type.Object({
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  name: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  total: MinorUnits,
  cash: MinorUnits,
  card: MinorUnits,
});
export type DeviceDayTotals = Static<typeof DeviceDayTotals>;

/** Card payments of the day's sales by state: the parts that add up to the card total (I7). */
export const CardOutcomes = Type.Record(Type.String(), Amount, {
  description: 'Keyed by PaymentState: pending, unknown, quarantined, captured, declined, expired, written_off',
});
export type CardOutcomes = Record<string, Amount>;

/** The Today page: one store, one store-time day (by the sale's time on the till). */
export const DaySummary = Type.Object({
  storeId: Uuid,
  date: DayString,
  timezone: Type.String(),
  currency: Currency,
  from: Timestamp,
  to: Timestamp,
  sales: Type.Object({ count: Type.Integer(), total: MinorUnits, tax: MinorUnits, discount: MinorUnits }),
  tenders: Type.Object({ cash: Amount, card: Amount }),
  byDevice: Type.Array(DeviceDayTotals),
  cardOutcomes: CardOutcomes,
  salesPerHour: Type.Array(
    Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), count: Type.Integer(), total: MinorUnits }),
    {
      description: '24 entries, store-time hours',
    },
  ),
  backlog: Type.Array(Type.Object({ at: Timestamp, count: Type.Integer(), amount: MinorUnits }), {
    description: 'Card payments waiting for capture at each hour of the day (up to now)',
  }),
  alerts: Type.Array(Alert),
});
export type DaySummary = Static<typeof DaySummary>;
