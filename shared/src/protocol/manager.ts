import Type, { type Static } from 'typebox';
import { Currency, MinorUnits, NonNegativeMinorUnits, TaxModeSchema, Timestamp, Uuid } from './common.ts';
import { ALERT_KINDS, FOLLOW_UPS, MANAGER_ROLES, PAYMENT_ACTIONS, PAYMENT_VIEWS } from './constants.ts';
import { PaymentStateSchema } from './payments.ts';
import { SaleLine } from './sale.ts';
import { CardOfflineLimits } from './store.ts';
import { FlagCodeSchema } from './sync.ts';

/**
 * The manager console's API (`/api/v1/manager/…`, SPEC MGR-*). A manager signs in with e-mail
 * and password and gets a session cookie; every route below the session is scoped to one store
 * the manager may see: `/manager/stores/:storeId/…`. A store, sale, payment, batch or device of
 * another tenant (or of a store the manager may not see) is answered 404, never with data (I10).
 */

export {
  ALERT_KINDS,
  type AlertKind,
  CSRF_HEADER,
  FOLLOW_UPS,
  type FollowUp,
  MANAGER_ROLES,
  type ManagerRole,
  PAYMENT_ACTIONS,
  PAYMENT_VIEWS,
  type PaymentAction,
  type PaymentView,
  SESSION_COOKIE,
} from './constants.ts';

export const ManagerRoleSchema = Type.Enum([...MANAGER_ROLES]);

/** A calendar day in the store's time zone. */
export const DayString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, store time' });

export const LoginRequest = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const ManagerStore = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  currency: Currency,
  locale: Type.String(),
  timezone: Type.String(),
});
export type ManagerStore = Static<typeof ManagerStore>;

/**
 * The signed-in manager. `csrfToken` must be sent back as the `X-CSRF-Token` header on every
 * request that changes something (MGR-3); the session itself travels only in an httpOnly cookie.
 */
export const ManagerSession = Type.Object({
  manager: Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), role: ManagerRoleSchema }),
  tenant: Type.Object({ id: Uuid, name: Type.String() }),
  stores: Type.Array(ManagerStore),
  csrfToken: Type.String(),
  expiresAt: Timestamp,
});
export type ManagerSession = Static<typeof ManagerSession>;

export const StoreParams = Type.Object({ storeId: Uuid }, { additionalProperties: false });
export type StoreParams = Static<typeof StoreParams>;

export const DayQuery = Type.Object({ date: Type.Optional(DayString) }, { additionalProperties: false });
export type DayQuery = Static<typeof DayQuery>;

/** An inclusive range of store-time days; both default to today. */
export const DateRangeQuery = Type.Object(
  { from: Type.Optional(DayString), to: Type.Optional(DayString) },
  { additionalProperties: false },
);
export type DateRangeQuery = Static<typeof DateRangeQuery>;

export const Amount = Type.Object({ count: Type.Integer({ minimum: 0 }), amount: MinorUnits });
export type Amount = Static<typeof Amount>;

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

export const Reason = Type.String({ minLength: 3, maxLength: 300, description: 'Why; kept in the audit log' });

export const ReasonRequest = Type.Object({ reason: Reason }, { additionalProperties: false });
export type ReasonRequest = Static<typeof ReasonRequest>;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  before: Type.Optional(Type.String({ maxLength: 80, description: 'Cursor: `nextBefore` of the previous page' })),
};

export const BatchRow = Type.Object({
  id: Uuid,
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  deviceName: Type.String(),
  receivedAt: Timestamp,
  saleCount: Type.Integer(),
  newCount: Type.Integer(),
  duplicateCount: Type.Integer(),
  flaggedCount: Type.Integer(),
  total: MinorUnits,
});
export type BatchRow = Static<typeof BatchRow>;

export const BatchesQuery = Type.Object(
  { ...PageQuery, from: Type.Optional(DayString), to: Type.Optional(DayString), deviceId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type BatchesQuery = Static<typeof BatchesQuery>;

export const BatchesResponse = Type.Object({
  batches: Type.Array(BatchRow),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type BatchesResponse = Static<typeof BatchesResponse>;

export const SaleRow = Type.Object({
  id: Uuid,
  receiptNo: Type.String(),
  deviceId: Uuid,
  deviceNo: Type.Integer(),
  deviceSeq: Type.Integer(),
  createdAt: Timestamp,
  receivedAt: Timestamp,
  total: MinorUnits,
  tax: MinorUnits,
  cash: MinorUnits,
  card: MinorUnits,
  cashier: Type.Union([Type.String(), Type.Null()]),
  shiftId: Type.Union([Uuid, Type.Null()]),
  status: Type.Union([Type.Literal('new'), Type.Literal('flagged')]),
  flags: Type.Array(FlagCodeSchema),
});
export type SaleRow = Static<typeof SaleRow>;

export const BatchDetail = Type.Object({
  batch: BatchRow,
  sales: Type.Array(
    Type.Object({
      position: Type.Integer(),
      status: Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('flagged')]),
      sale: SaleRow,
    }),
  ),
});
export type BatchDetail = Static<typeof BatchDetail>;

export const SalesQuery = Type.Object(
  {
    ...PageQuery,
    receiptNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Exact, or a part of it' })),
    from: Type.Optional(DayString),
    to: Type.Optional(DayString),
    deviceId: Type.Optional(Uuid),
    minTotal: Type.Optional(MinorUnits),
    maxTotal: Type.Optional(MinorUnits),
    tender: Type.Optional(Type.Union([Type.Literal('cash'), Type.Literal('card')])),
    flagged: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SalesQuery = Static<typeof SalesQuery>;

export const SalesResponse = Type.Object({
  sales: Type.Array(SaleRow),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type SalesResponse = Static<typeof SalesResponse>;

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

export const SaleDetail = Type.Object({
  sale: SaleRow,
  batchId: Uuid,
  currency: Currency,
  lines: Type.Array(SaleLine),
  totals: Type.Object({ subtotal: MinorUnits, discount: MinorUnits, tax: MinorUnits, total: MinorUnits }),
  /** Tenders as sold, without gateway tokens. */
  tenders: Type.Array(
    Type.Object({
      id: Uuid,
      kind: Type.Union([Type.Literal('cash'), Type.Literal('card')]),
      amount: MinorUnits,
      tendered: Type.Optional(MinorUnits),
      change: Type.Optional(MinorUnits),
      brand: Type.Optional(Type.String()),
      last4: Type.Optional(Type.String()),
      entry: Type.Optional(Type.String()),
    }),
  ),
  payments: Type.Array(Type.Object({ payment: PaymentRow, attempts: Type.Array(PaymentAttemptRow) })),
  sequenceIssues: Type.Array(
    Type.Object({
      kind: Type.String(),
      fromSeq: Type.Integer(),
      toSeq: Type.Integer(),
      detail: Type.String(),
      resolvedAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
  conflictingCopies: Type.Integer({ description: 'Copies received with the same id and other content (kept aside)' }),
});
export type SaleDetail = Static<typeof SaleDetail>;

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

export const TaxRate = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    rateBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
  },
  { additionalProperties: false },
);
export type TaxRate = Static<typeof TaxRate>;

/** What an owner may change about a store. Currency and code are fixed once sales exist. */
export const StoreSettings = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    address: Type.String({ maxLength: 300 }),
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    locale: Type.String({ minLength: 2, maxLength: 35 }),
    taxMode: TaxModeSchema,
    taxRates: Type.Array(TaxRate, { maxItems: 20 }),
    cardOfflineLimits: CardOfflineLimits,
  },
  { additionalProperties: false },
);
export type StoreSettings = Static<typeof StoreSettings>;

export const StoreSettingsResponse = Type.Object({
  storeId: Uuid,
  code: Type.String(),
  currency: Currency,
  catalogVersion: Type.Integer(),
  settings: StoreSettings,
});
export type StoreSettingsResponse = Static<typeof StoreSettingsResponse>;

export const ProductInput = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    category: Type.String({ maxLength: 60 }),
    barcodes: Type.Array(Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }), { maxItems: 20 }),
    price: NonNegativeMinorUnits,
    taxRateBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ProductInput = Static<typeof ProductInput>;

export const ManagerProduct = Type.Object({
  id: Uuid,
  sku: Type.String(),
  name: Type.String(),
  category: Type.String(),
  barcodes: Type.Array(Type.String()),
  price: NonNegativeMinorUnits,
  taxRateBp: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type ManagerProduct = Static<typeof ManagerProduct>;

export const ProductsResponse = Type.Object({ catalogVersion: Type.Integer(), products: Type.Array(ManagerProduct) });
export type ProductsResponse = Static<typeof ProductsResponse>;

/**
 * CSV import (MGR-10): header `sku,name,category,price,tax_rate,barcodes,active` (price in major
 * units like 3.50, tax_rate a percentage like 8.25, barcodes separated by `|`, active true/false,
 * optional). All rows are checked first; any bad row → 400 listing every bad row, nothing saved.
 */
export const CatalogImportRequest = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 2_000_000 }) },
  { additionalProperties: false },
);
export type CatalogImportRequest = Static<typeof CatalogImportRequest>;

export const CatalogImportResponse = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  catalogVersion: Type.Integer(),
});
export type CatalogImportResponse = Static<typeof CatalogImportResponse>;

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

export const ReconciliationCheck = Type.Object({
  id: Type.String({ description: 'e.g. card_total_splits, all_sales_in, no_sequence_issues, drawers_balance' }),
  label: Type.String(),
  ok: Type.Boolean(),
  detail: Type.String(),
});
export type ReconciliationCheck = Static<typeof ReconciliationCheck>;

/**
 * The printable end-of-day reconciliation (MGR-11): till ↔ server ↔ gateway for one store-time
 * day. `balances` is true when every check is ok.
 */
export const DayReport = Type.Object({
  storeId: Uuid,
  storeName: Type.String(),
  storeCode: Type.String(),
  date: DayString,
  timezone: Type.String(),
  currency: Currency,
  from: Timestamp,
  to: Timestamp,
  generatedAt: Timestamp,
  sales: Type.Object({
    count: Type.Integer(),
    total: MinorUnits,
    tax: MinorUnits,
    discount: MinorUnits,
    flagged: Type.Integer(),
  }),
  tenders: Type.Object({ cash: Amount, card: Amount }),
  cardOutcomes: CardOutcomes,
  declinedAfterForwarding: Type.Object({
    count: Type.Integer(),
    amount: MinorUnits,
    writtenOff: Amount,
    paidElsewhere: Amount,
    open: Amount,
  }),
  devices: Type.Array(
    Type.Object({
      deviceId: Uuid,
      deviceNo: Type.Integer(),
      name: Type.String(),
      saleCount: Type.Integer(),
      total: MinorUnits,
      firstSeq: Type.Union([Type.Integer(), Type.Null()]),
      lastSeq: Type.Union([Type.Integer(), Type.Null()]),
      /** Seqs within [firstSeq, lastSeq] of the day the server does not have. */
      missingSeqs: Type.Integer(),
      unsentReported: Type.Union([Type.Integer(), Type.Null()]),
      lastSeenAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
  batches: Type.Object({
    count: Type.Integer(),
    sales: Type.Integer(),
    duplicates: Type.Integer(),
    flagged: Type.Integer(),
  }),
  sequenceIssues: Type.Object({ open: Type.Integer(), resolved: Type.Integer() }),
  drawers: Type.Array(ShiftRow),
  /** The gateway's side: charges the server recorded as captured, with a gateway reference. */
  gateway: Type.Object({ captured: Amount, withReference: Type.Integer() }),
  checks: Type.Array(ReconciliationCheck),
  balances: Type.Boolean(),
});
export type DayReport = Static<typeof DayReport>;

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

/** Whether an account may sign in; a disabled account's sessions end at once (MGR-14). */
export const ManagerStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);
export type ManagerStatus = Static<typeof ManagerStatusSchema>;

/** Which stores an account may see: every store of the tenant (present and future), or a list. */
export const StoreAccess = Type.Union([Type.Literal('all'), Type.Array(Uuid, { maxItems: 200 })], {
  description: '"all" (required for an owner), or the ids of stores of the tenant',
});
export type StoreAccess = Static<typeof StoreAccess>;

/** One manager account of the tenant, as the Team page lists it (MGR-14). Never a password or hash. */
export const ManagerAccountRow = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: ManagerRoleSchema,
  status: ManagerStatusSchema,
  allStores: Type.Boolean(),
  storeIds: Type.Array(Uuid, { description: 'The stores of the list; empty when allStores' }),
  createdAt: Timestamp,
  lastSignInAt: Type.Union([Timestamp, Type.Null()]),
});
export type ManagerAccountRow = Static<typeof ManagerAccountRow>;

export const ManagerAccountsResponse = Type.Object({ accounts: Type.Array(ManagerAccountRow) });
export type ManagerAccountsResponse = Static<typeof ManagerAccountsResponse>;

export const ManagerAccountParams = Type.Object({ managerId: Uuid }, { additionalProperties: false });
export type ManagerAccountParams = Static<typeof ManagerAccountParams>;

/** A new password: 10 to 200 characters, no composition rules (checked by the route, MGR-14). */
export const NewPassword = Type.String({ maxLength: 200, description: 'At least 10 characters' });

export const AccountName = Type.String({ minLength: 1, maxLength: 120 });

/** An owner adds an account (MGR-14); the e-mail is stored lower-cased and is unique across tenants. */
export const NewManagerAccountRequest = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, description: 'Trimmed and lower-cased; must contain an @' }),
    name: AccountName,
    role: ManagerRoleSchema,
    storeIds: StoreAccess,
    password: NewPassword,
  },
  { additionalProperties: false },
);
export type NewManagerAccountRequest = Static<typeof NewManagerAccountRequest>;

/** An owner changes an account (MGR-14): the whole of it but its e-mail and password. */
export const ManagerAccountChange = Type.Object(
  { name: AccountName, role: ManagerRoleSchema, storeIds: StoreAccess, status: ManagerStatusSchema },
  { additionalProperties: false },
);
export type ManagerAccountChange = Static<typeof ManagerAccountChange>;

export const SetPasswordRequest = Type.Object(
  {
    password: NewPassword,
    currentPassword: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Required to change your own password: a stolen session alone cannot take the account over',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SetPasswordRequest = Static<typeof SetPasswordRequest>;
