import Type, { type Static } from 'typebox';
import { MinorUnits, Timestamp, Uuid } from '../common.ts';

export const ShiftRow = Type.Object({
  shiftId: Uuid,
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  deviceName: Type.String(),
  cashier: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  openingFloat: MinorUnits,
  cashSales: MinorUnits,
  cashMovements: MinorUnits,
  /** Float + cash sales received + cash movements: what should be in the drawer. */
  expectedCash: MinorUnits,
  countedCash: Type.Union([MinorUnits, Type.Null()]),
  /** counted − expected: positive over, negative short; null while open. */
  overShort: Type.Union([MinorUnits, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  /** What the till expected and how many sales it counted, from its close event. */
  tillExpectedCash: Type.Union([MinorUnits, Type.Null()]),
  tillSaleCount: Type.Union([Type.Integer(), Type.Null()]),
  serverSaleCount: Type.Integer(),
  /** The till's sales of this shift not yet received: tillSaleCount − serverSaleCount. */
  missingSales: Type.Integer(),
});
export type ShiftRow = Static<typeof ShiftRow>;

export const ShiftsResponse = Type.Object({ shifts: Type.Array(ShiftRow) });
export type ShiftsResponse = Static<typeof ShiftsResponse>;
