import type { AuditResponse, DayReport, DaySummary, ShiftRow } from '@till/shared';
import type { ConsoleScope, InstantRange } from './types.ts';

/**
 * The console's reconciliation reads: the day summary, the end-of-day report, shifts, audit,
 * exports. Every method takes a ConsoleScope (tenant + store, checked by the route layer) and
 * never reads outside it (I10). Implemented in ../kysely/console/reconciliation/.
 *
 * Days are store-time days of the TILL's clock (`sales.created_at`); `range` is the day's
 * half-open instant range [from, to), worked out by the caller with `storeDayRange`.
 */
export interface ReconciliationStore {
  /** The Today page (MGR-9: its card outcomes add up to its card tenders). */
  daySummary(scope: ConsoleScope, day: ConsoleDay): Promise<DaySummary>;
  /** The end-of-day reconciliation with its named checks (MGR-11). */
  dayReport(scope: ConsoleScope, day: ConsoleDay): Promise<DayReport>;
  /** Shifts opened within `range` (by the till's clock), and, with `includeOpen`, every shift still open. */
  shiftRows(scope: ConsoleScope, query: ShiftQuery): Promise<ShiftRow[]>;
  /** The audit log of the store and of the tenant as a whole (sign-ins), newest first. */
  auditLog(scope: ConsoleScope, query: AuditLogQuery): Promise<AuditResponse>;
  /** Sales made within `range` (till clock), by device and seq: for the CSV export (MGR-12). */
  exportSales(scope: ConsoleScope, range: InstantRange): Promise<SaleExportRow[]>;
  /** Card payments of the sales made within `range` (or, without a sale yet, created within it). */
  exportPayments(scope: ConsoleScope, range: InstantRange): Promise<PaymentExportRow[]>;
  /** Batches received within `range` (server clock). */
  exportBatches(scope: ConsoleScope, range: InstantRange): Promise<BatchExportRow[]>;
}

/** One store-time day as the console asks about it. */
export interface ConsoleDay {
  /** YYYY-MM-DD, store time. */
  date: string;
  range: InstantRange;
  /** The server's time of the request (ISO): what "expiring", "silent" and "up to now" mean. */
  now: string;
  /** Thresholds of the alerts (from the console configuration). */
  silentDeviceMinutes: number;
  expiryWarningMinutes: number;
}

export interface ShiftQuery {
  range: InstantRange;
  includeOpen: boolean;
}

export interface AuditLogQuery {
  /** Unbounded when absent. */
  range: Partial<InstantRange>;
  /** Exact action code (e.g. `payment.write_off`); all when absent. */
  action: string | undefined;
  limit: number;
  /** The `nextBefore` of the previous page, already decoded. */
  before: AuditCursor | undefined;
}

/** The keyset position of an audit row: newest first by (at, id). */
export interface AuditCursor {
  at: string;
  id: string;
}

/**
 * The opaque `nextBefore`: the row's time in milliseconds (base 36) and its id. Audit times are
 * written by the server with `toISOString()`, so the time round-trips exactly.
 */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return `${Date.parse(cursor.at).toString(36)}.${cursor.id}`;
}

/** The cursor in a `before`, or undefined when it is not one of ours. */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  const match = /^([0-9a-z]{1,12})\.([0-9a-f-]{36})$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const at = new Date(Number.parseInt(match[1], 36));
  if (Number.isNaN(at.getTime())) return undefined;
  return { at: at.toISOString(), id: match[2] };
}

export interface SaleExportRow {
  saleId: string;
  receiptNo: string;
  deviceNo: number;
  deviceName: string;
  deviceSeq: number;
  createdAt: string;
  receivedAt: string;
  currency: string;
  total: number;
  tax: number;
  discount: number;
  cash: number;
  card: number;
  cashier: string | null;
  shiftId: string | null;
  status: 'new' | 'flagged';
  flags: string[];
}

/** A card payment as exported: never its gateway token (MGR-12, I8). */
export interface PaymentExportRow {
  paymentId: string;
  saleId: string | null;
  receiptNo: string | null;
  /** The sale's time on the till, or the payment's first sight when no sale has arrived. */
  soldAt: string;
  deviceNo: number;
  deviceName: string;
  cashier: string | null;
  currency: string;
  amount: number;
  brand: string;
  last4: string;
  entry: 'live' | 'stored';
  storedReason: string | null;
  state: string;
  attempts: number;
  declineCode: string | null;
  gatewayRef: string | null;
  createdAt: string;
  capturedAt: string | null;
  followUp: string | null;
  followUpBy: string | null;
  followUpReason: string | null;
}

export interface BatchExportRow {
  batchId: string;
  deviceNo: number;
  deviceName: string;
  receivedAt: string;
  saleCount: number;
  newCount: number;
  duplicateCount: number;
  flaggedCount: number;
  total: number;
}
