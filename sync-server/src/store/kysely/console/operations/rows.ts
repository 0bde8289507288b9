import type { FlagCode, ManagerDevice, PaymentRow, SaleRow } from '@till/shared';
import type { Selectable } from 'kysely';
import type { DevicesTable, PaymentsTable } from '../../../tables.ts';

/**
 * Row → console shape mappings shared by the operations queries. bigint columns come back as
 * numbers from better-sqlite3 and tedious alike (always below 2^53 here), hence `Number(…)`.
 */

/** The columns of `sales` (joined with `devices`) that make a SaleRow; map with `toSaleRow`. */
export const SALE_ROW_COLUMNS = [
  'sales.id',
  'sales.receipt_no',
  'sales.device_id',
  'devices.device_no',
  'sales.device_seq',
  'sales.created_at',
  'sales.received_at',
  'sales.total',
  'sales.tax',
  'sales.cash_total',
  'sales.card_total',
  'sales.cashier',
  'sales.shift_id',
  'sales.status',
  'sales.flags',
] as const;

export interface SaleRowColumns {
  id: string;
  receipt_no: string;
  device_id: string;
  device_no: number;
  device_seq: number;
  created_at: string;
  received_at: string;
  total: number;
  tax: number;
  cash_total: number;
  card_total: number;
  cashier: string | null;
  shift_id: string | null;
  status: 'new' | 'flagged';
  flags: string;
}

export function toSaleRow(row: SaleRowColumns): SaleRow {
  return {
    id: row.id,
    receiptNo: row.receipt_no,
    deviceId: row.device_id,
    deviceNo: row.device_no,
    deviceSeq: row.device_seq,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    total: Number(row.total),
    tax: Number(row.tax),
    cash: Number(row.cash_total),
    card: Number(row.card_total),
    cashier: row.cashier,
    shiftId: row.shift_id,
    status: row.status,
    flags: JSON.parse(row.flags) as FlagCode[],
  };
}

export type DeviceRowColumns = Selectable<DevicesTable> & { open_issues: number | string | bigint };

export function toManagerDevice(row: DeviceRowColumns, silentSince: string): ManagerDevice {
  return {
    deviceId: row.id,
    deviceNo: row.device_no,
    name: row.name,
    status: row.status,
    enrolledAt: row.enrolled_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
    appVersion: row.app_version,
    ackedSeq: row.acked_seq,
    lastSeq: row.last_seq,
    unsentCount: row.unsent_count,
    oldestUnsentAt: row.oldest_unsent_at,
    storagePersisted: row.storage_persisted === null ? null : row.storage_persisted === 1,
    openSequenceIssues: Number(row.open_issues),
    // A till enrolled moments ago that has not synced yet is new, not silent.
    silent: row.status === 'active' && (row.last_seen_at ?? row.enrolled_at) < silentSince,
  };
}

/** A payment with what the console shows beside it: its sale's receipt, time, cashier; its device. */
export type PaymentRowColumns = Selectable<PaymentsTable> & {
  receipt_no: string | null;
  sale_created_at: string | null;
  cashier: string | null;
  device_no: number;
  device_name: string;
};

/** Never the gateway token: the console has no use for it (I8 keeps it on the server). */
export function toConsolePaymentRow(row: PaymentRowColumns): PaymentRow {
  return {
    id: row.id,
    saleId: row.sale_id,
    receiptNo: row.receipt_no ?? row.reference,
    saleCreatedAt: row.sale_created_at,
    deviceId: row.device_id,
    deviceNo: row.device_no,
    deviceName: row.device_name,
    cashier: row.cashier,
    amount: Number(row.amount),
    currency: row.currency as PaymentRow['currency'],
    brand: row.brand,
    last4: row.last4,
    entry: row.entry,
    storedReason: row.stored_reason,
    state: row.state,
    attempts: row.attempts,
    gatewayRef: row.gateway_ref,
    declineCode: row.decline_code,
    message: row.message,
    lastError: row.last_error,
    quarantineReason: row.quarantine_reason,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    capturedAt: row.captured_at,
    followUp: row.follow_up,
    followUpBy: row.follow_up_by,
    followUpReason: row.follow_up_reason,
    followUpAt: row.follow_up_at,
  };
}
