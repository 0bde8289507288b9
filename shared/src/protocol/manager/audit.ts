import Type, { type Static } from 'typebox';
import { Timestamp, Uuid } from '../common.ts';
import { DayString, PageQuery } from './session.ts';

export const AuditRow = Type.Object({
  id: Uuid,
  at: Timestamp,
  managerId: Type.Union([Uuid, Type.Null()]),
  managerEmail: Type.String(),
  managerName: Type.String(),
  storeId: Type.Union([Uuid, Type.Null()]),
  action: Type.String({ description: 'e.g. payment.write_off, device.revoke, session.sign_in' }),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditRow = Static<typeof AuditRow>;

export const AuditQuery = Type.Object(
  {
    ...PageQuery,
    from: Type.Optional(DayString),
    to: Type.Optional(DayString),
    action: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditResponse = Type.Object({
  entries: Type.Array(AuditRow),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type AuditResponse = Static<typeof AuditResponse>;
