import type { CurrencyCode } from '@till/shared';

/**
 * The ledger's tables as Kysely sees them. Dialect-neutral: timestamps are ISO 8601 text,
 * booleans 0/1 integers, JSON as text, money as integer minor units, ids as text UUIDs, so the
 * same query code can run on SQLite and, later, Azure SQL.
 */
export interface LedgerTables {
  tenants: TenantsTable;
  stores: StoresTable;
  devices: DevicesTable;
  enrollment_codes: EnrollmentCodesTable;
  products: ProductsTable;
  sales: SalesTable;
  sale_conflicts: SaleConflictsTable;
  sequence_issues: SequenceIssuesTable;
  batches: BatchesTable;
  batch_sales: BatchSalesTable;
  payments: PaymentsTable;
  payment_attempts: PaymentAttemptsTable;
  ledger_counters: LedgerCountersTable;
  managers: ManagersTable;
  manager_stores: ManagerStoresTable;
  manager_sessions: ManagerSessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  shifts: ShiftsTable;
  shift_events: ShiftEventsTable;
  shift_event_conflicts: ShiftEventConflictsTable;
  capture_publications: CapturePublicationsTable;
}

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface StoresTable {
  id: string;
  tenant_id: string;
  code: string;
  name: string;
  /** Only codes Till knows are ever written (StoreInfo's schema checks them). */
  currency: CurrencyCode;
  tax_mode: 'inclusive' | 'exclusive';
  locale: string;
  timezone: string;
  address: string;
  /** Bumped on every product change; products carry the version they last changed at. */
  catalog_version: number;
  created_at: string;
  /** Store-and-forward limits for card payments (CardOfflineLimits), minor units / minutes. */
  card_max_per_payment: number;
  card_max_total_per_device: number;
  card_max_age_minutes: number;
  /** JSON array of TaxRate { id, name, rateBp }: the rates offered when editing products. */
  tax_rates: string;
}

export interface DevicesTable {
  id: string;
  tenant_id: string;
  store_id: string;
  device_no: number;
  name: string;
  /** SHA-256 hex of the bearer token; the token itself is never stored. */
  token_hash: string;
  status: 'active' | 'revoked';
  enrolled_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
  app_version: string;
  /** Highest deviceSeq N such that 1..N are all stored. */
  acked_seq: number;
  /** Highest deviceSeq stored. */
  last_seq: number;
  /** How many of this device's sales are stored; numbers their arrival order. */
  arrival_count: number;
  unsent_count: number | null;
  oldest_unsent_at: string | null;
  storage_persisted: number | null;
}

export interface EnrollmentCodesTable {
  /** SHA-256 hex of the normalised code; the code itself is shown once and never stored. */
  code_hash: string;
  tenant_id: string;
  store_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by_device_id: string | null;
}

export interface ProductsTable {
  id: string;
  tenant_id: string;
  store_id: string;
  sku: string;
  name: string;
  category: string;
  /** JSON array of strings. */
  barcodes: string;
  price: number;
  tax_rate_bp: number;
  active: number;
  version: number;
}

export interface SalesTable {
  tenant_id: string;
  id: string;
  store_id: string;
  device_id: string;
  device_seq: number;
  /** 1, 2, 3… in the order this device's sales reached the server ("first stored" = lowest). */
  arrival_no: number;
  prev_hash: string;
  hash: string;
  /** SHA-256 hex of the canonical JSON of the sale exactly as received. */
  payload_hash: string;
  /** The sale as received (canonical JSON). Never updated. */
  payload: string;
  receipt_no: string;
  /** The device's clock when the sale completed. */
  created_at: string;
  received_at: string;
  batch_id: string;
  currency: string;
  total: number;
  tax: number;
  status: 'new' | 'flagged';
  /** JSON array of flag codes (see FLAG_CODES); later chain findings are appended. */
  flags: string;
  /** From the sale as sent: the shift it was rung up in and its cashier (null on older tills). */
  shift_id: string | null;
  cashier: string | null;
  /** Sums of the sale's cash and card tenders, and its discount, for reports. */
  cash_total: number;
  card_total: number;
  discount: number;
}

export interface SaleConflictsTable {
  id: string;
  tenant_id: string;
  store_id: string;
  device_id: string;
  sale_id: string;
  batch_id: string;
  payload: string;
  payload_hash: string;
  received_at: string;
}

export type SequenceIssueKind = 'gap' | 'reuse' | 'break' | 'invalid';

export interface SequenceIssuesTable {
  id: string;
  tenant_id: string;
  store_id: string;
  device_id: string;
  kind: SequenceIssueKind;
  from_seq: number;
  to_seq: number;
  /** The sale whose arrival revealed the issue. */
  sale_id: string;
  detail: string;
  detected_at: string;
  /** When the missing sales arrived (gaps only). */
  resolved_at: string | null;
  /** A manager's acknowledgement of an issue that will not resolve itself (SPEC MGR-13). */
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledge_reason: string | null;
}

export interface BatchesTable {
  id: string;
  tenant_id: string;
  store_id: string;
  device_id: string;
  received_at: string;
  /** SHA-256 of the canonical JSON of { protocolVersion, batchId, sales }: what a replay must match. */
  request_hash: string;
  sale_count: number;
  new_count: number;
  duplicate_count: number;
  flagged_count: number;
  /** Sum of totals of the sales this batch stored for the first time. */
  total: number;
  /** The PushResponse as sent, JSON; a replay gets exactly this. */
  response: string;
}

export interface BatchSalesTable {
  batch_id: string;
  position: number;
  sale_id: string;
  status: 'new' | 'duplicate' | 'flagged';
}

/**
 * One card payment: the capture outbox row. Created by a live capture request or by a pushed
 * sale's card tender (in the push transaction), whichever comes first; `id` is the till-made
 * payment id, which is the gateway idempotency key for the payment's whole life (I4).
 */
export interface PaymentsTable {
  tenant_id: string;
  id: string;
  store_id: string;
  device_id: string;
  /** The sale the payment pays: from the live request, or from the pushed sale. */
  sale_id: string | null;
  /**
   * When a pushed sale carrying this payment arrived. Null = no sale has confirmed it yet: the
   * worker never charges such a payment on its own, it only resolves it by lookup (see SPEC PAY-5).
   */
  sale_received_at: string | null;
  /** Receipt number, sent to the gateway as the charge description. */
  reference: string | null;
  amount: number;
  currency: string;
  brand: string;
  last4: string;
  /** A gateway token (pm_…), never card data (I8). Needed to forward the payment. */
  gateway_token: string;
  entry: 'live' | 'stored';
  stored_reason: string | null;
  state: PaymentStateColumn;
  /** Gateway calls made for this payment (captures and lookups). */
  attempts: number;
  /** Unexpected exceptions while processing it; at the limit the payment is quarantined (I9). */
  error_count: number;
  next_attempt_at: string;
  /** Who is working on it (a worker id, or `live:…` for a live capture request) and until when. */
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** Sale time (or first sight) + the store's maxAgeMinutes: after it, no new charge is made. */
  expires_at: string;
  gateway_ref: string | null;
  decline_code: string | null;
  message: string | null;
  last_error: string | null;
  quarantine_reason: string | null;
  written_off_by: string | null;
  written_off_reason: string | null;
  /** From the `payment_change` counter, bumped on every change: the devices' updates cursor. */
  change_no: number;
  created_at: string;
  updated_at: string;
  captured_at: string | null;
  /**
   * A manager's decision on a payment that was not (or will not be) captured: a write-off, or
   * paid another way. Set with the write-off itself, or on a declined/expired payment (whose
   * state stays what the gateway said).
   */
  follow_up: 'written_off' | 'paid_elsewhere' | null;
  follow_up_by: string | null;
  follow_up_reason: string | null;
  follow_up_at: string | null;
}

export type PaymentStateColumn =
  | 'pending'
  | 'unknown'
  | 'quarantined'
  | 'captured'
  | 'declined'
  | 'expired'
  | 'written_off';

export type AttemptOutcome =
  | 'captured'
  | 'declined'
  | 'not_found'
  | 'unknown'
  | 'retryable'
  | 'permanent'
  | 'circuit_open'
  | 'expired'
  | 'error';

/** Every gateway call (and every skipped one: circuit open, expired) for a payment. */
export interface PaymentAttemptsTable {
  id: string;
  tenant_id: string;
  payment_id: string;
  /** 1, 2, 3… per payment. */
  n: number;
  kind: 'capture' | 'lookup';
  worker_id: string;
  started_at: string;
  finished_at: string;
  outcome: AttemptOutcome;
  code: string | null;
  message: string | null;
  retry_after_ms: number | null;
}

export interface LedgerCountersTable {
  name: string;
  value: number;
}

export interface ManagersTable {
  id: string;
  tenant_id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  role: 'owner' | 'manager';
  /** scrypt$N$r$p$salt$hash; never the password. */
  password_hash: string;
  /** 1: every store of the tenant; 0: only the stores in manager_stores. */
  all_stores: number;
  status: 'active' | 'disabled';
  created_at: string;
}

export interface ManagerStoresTable {
  manager_id: string;
  store_id: string;
  tenant_id: string;
}

export interface ManagerSessionsTable {
  /** SHA-256 hex of the session token (the cookie value). */
  token_hash: string;
  manager_id: string;
  tenant_id: string;
  /** SHA-256 hex of the session's CSRF token. */
  csrf_hash: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  expires_at: string;
  /** Set on sign-out (or when the account is disabled): the session is dead from then on. */
  ended_at: string | null;
  ip: string;
  user_agent: string;
}

export interface LoginAttemptsTable {
  id: string;
  /** Lower-cased, as typed (it may name no account). */
  email: string;
  ip: string;
  at: string;
  succeeded: number;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string;
  store_id: string | null;
  manager_id: string | null;
  manager_email: string;
  manager_name: string;
  /** e.g. payment.write_off, device.revoke, session.sign_in, settings.update */
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  /** JSON object: what changed (before/after, ids, counts). */
  detail: string;
  at: string;
}

export interface ShiftsTable {
  tenant_id: string;
  id: string;
  store_id: string;
  device_id: string;
  cashier: string | null;
  opened_at: string | null;
  opening_float: number;
  /** Sum of the shift's cash movements (paid in positive, paid out negative). */
  cash_movements: number;
  closed_at: string | null;
  counted_cash: number | null;
  till_expected_cash: number | null;
  till_sale_count: number | null;
  till_last_seq: number | null;
  close_reason: string | null;
  updated_at: string;
}

export interface ShiftEventsTable {
  tenant_id: string;
  id: string;
  shift_id: string;
  store_id: string;
  device_id: string;
  kind: 'opened' | 'cash_movement' | 'closed';
  at: string;
  /** The cash movement's amount; null for other kinds. */
  amount: number | null;
  /** Canonical JSON of the event as received. */
  payload: string;
  payload_hash: string;
  received_at: string;
}

export interface ShiftEventConflictsTable {
  id: string;
  tenant_id: string;
  store_id: string;
  device_id: string;
  event_id: string;
  payload: string;
  received_at: string;
}

/**
 * What the Service Bus outbox relay published per card payment (migration 004). Empty with the
 * SQL outbox queue. See `kysely/payments/publications.ts` for how the columns are used.
 */
export interface CapturePublicationsTable {
  tenant_id: string;
  payment_id: string;
  /** The publication last claimed by a relay; the message id is derived from it. */
  seq: number;
  /** The publication last recorded as sent (null: none yet). */
  published_seq: number | null;
  /** The highest publication a consumer received and settled without leaving work behind. */
  consumed_seq: number | null;
  /** The payment's `next_attempt_at` when the recorded publication was made. */
  published_next_at: string | null;
  /** When the recorded message was due to arrive. */
  scheduled_for: string | null;
  published_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  failures: number;
  last_error: string | null;
}
