import { type PaymentState, TERMINAL_PAYMENT_STATES } from '@till/shared';
import type { Kysely, Selectable } from 'kysely';
import type { PaymentRecord } from '../../payment-store.ts';
import type { LedgerTables, PaymentsTable } from '../../tables.ts';

export type PaymentRow = Selectable<PaymentsTable>;

export function toPaymentRecord(row: PaymentRow): PaymentRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    storeId: row.store_id,
    deviceId: row.device_id,
    saleId: row.sale_id,
    saleReceivedAt: row.sale_received_at,
    reference: row.reference,
    // bigint columns: numbers from better-sqlite3 (and tedious), always below 2^53 here.
    amount: Number(row.amount),
    currency: row.currency,
    brand: row.brand,
    last4: row.last4,
    gatewayToken: row.gateway_token,
    entry: row.entry,
    state: row.state,
    attempts: row.attempts,
    errorCount: row.error_count,
    nextAttemptAt: row.next_attempt_at,
    expiresAt: row.expires_at,
    gatewayRef: row.gateway_ref,
    declineCode: row.decline_code,
    message: row.message,
    lastError: row.last_error,
    quarantineReason: row.quarantine_reason,
    writtenOffBy: row.written_off_by,
    writtenOffReason: row.written_off_reason,
    changeNo: Number(row.change_no),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    capturedAt: row.captured_at,
  };
}

export function isTerminal(state: PaymentState): boolean {
  return TERMINAL_PAYMENT_STATES.includes(state);
}

const PAYMENT_CHANGE = 'payment_change';

/**
 * The next number of the payment change counter, inside the caller's write transaction. The
 * transaction holds the write lock, so numbers are handed out and committed in order: a device
 * reading `change_no > cursor` never skips a change that commits later with a lower number.
 */
export async function nextChangeNo(trx: Kysely<LedgerTables>): Promise<number> {
  await trx
    .updateTable('ledger_counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', PAYMENT_CHANGE)
    .execute();
  const row = await trx
    .selectFrom('ledger_counters')
    .select('value')
    .where('name', '=', PAYMENT_CHANGE)
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function currentChangeNo(db: Kysely<LedgerTables>): Promise<number> {
  const row = await db
    .selectFrom('ledger_counters')
    .select('value')
    .where('name', '=', PAYMENT_CHANGE)
    .executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** `iso` plus whole minutes, as an ISO instant (UTC). */
export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}
