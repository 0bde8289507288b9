import Type, { type Static } from 'typebox';
import { Timestamp, Uuid } from '../common.ts';

export const ManagerDevice = Type.Object({
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  name: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
  enrolledAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  lastSeenAt: Type.Union([Timestamp, Type.Null()]),
  appVersion: Type.String(),
  ackedSeq: Type.Integer(),
  lastSeq: Type.Integer(),
  unsentCount: Type.Union([Type.Integer(), Type.Null()]),
  oldestUnsentAt: Type.Union([Timestamp, Type.Null()]),
  storagePersisted: Type.Union([Type.Boolean(), Type.Null()]),
  openSequenceIssues: Type.Integer(),
  silent: Type.Boolean({ description: 'Active and not heard from for longer than the silent-device threshold' }),
});
export type ManagerDevice = Static<typeof ManagerDevice>;

export const EnrollmentCodeResponse = Type.Object({
  code: Type.String({ description: 'Shown once; type it on the new till' }),
  expiresAt: Timestamp,
});
export type EnrollmentCodeResponse = Static<typeof EnrollmentCodeResponse>;

/** A gap, reuse or hash problem in a till's sequence (I3), as managers see and acknowledge it (MGR-13). */
export const SequenceIssueRow = Type.Object({
  id: Uuid,
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  deviceName: Type.String(),
  kind: Type.Union([Type.Literal('gap'), Type.Literal('reuse'), Type.Literal('break'), Type.Literal('invalid')]),
  fromSeq: Type.Integer(),
  toSeq: Type.Integer(),
  saleId: Uuid,
  receiptNo: Type.Union([Type.String(), Type.Null()]),
  detail: Type.String(),
  detectedAt: Timestamp,
  /** When the missing sales arrived (gaps resolve themselves). */
  resolvedAt: Type.Union([Timestamp, Type.Null()]),
  acknowledgedAt: Type.Union([Timestamp, Type.Null()]),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  acknowledgeReason: Type.Union([Type.String(), Type.Null()]),
});
export type SequenceIssueRow = Static<typeof SequenceIssueRow>;

export const SequenceIssuesQuery = Type.Object(
  {
    view: Type.Optional(
      Type.Union([Type.Literal('open'), Type.Literal('all')], {
        description: 'open (default): neither resolved nor acknowledged',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SequenceIssuesQuery = Static<typeof SequenceIssuesQuery>;

export const SequenceIssuesResponse = Type.Object({ issues: Type.Array(SequenceIssueRow) });
export type SequenceIssuesResponse = Static<typeof SequenceIssuesResponse>;
