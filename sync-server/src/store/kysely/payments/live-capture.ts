import type { CaptureRequest } from '@till/shared';
import type { Kysely } from 'kysely';
import type { DeviceContext } from '../../ledger-store.ts';
import type { Lease, LiveCaptureStart } from '../../payment-store.ts';
import type { LedgerTables } from '../../tables.ts';
import { ledgerDialectOf, runInTransaction } from '../ledger-dialect.ts';
import { addMinutes, isTerminal, nextChangeNo, type PaymentRow, toPaymentRecord } from './payment-rows.ts';

/**
 * The database half of `POST /payments/capture`, in one (immediate) transaction:
 *
 * - A new payment id → a `pending` row that no sale has confirmed yet (`sale_received_at` null),
 *   leased to this request. The worker never charges such a row on its own (PAY-5): if the sale
 *   never arrives, nothing is charged by us, and at expiry the row is checked by lookup only.
 * - The same id again with the same amount, currency, card and sale → the same payment: a final
 *   row is answered from what is stored; a free one is leased again (the gateway call reuses
 *   the key, so a charge that went through is returned, not repeated — I4).
 * - The same id with anything else different, or from another device → `conflict`.
 */
export async function beginLiveCapture(
  db: Kysely<LedgerTables>,
  device: DeviceContext,
  request: CaptureRequest,
  lease: Lease,
  now: string,
): Promise<LiveCaptureStart> {
  return runInTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom(ledgerDialectOf(db).lockedTable('payments', 'update'))
      .selectAll()
      .where('id', '=', request.paymentId)
      .executeTakeFirst();
    if (row === undefined) {
      const inserted: PaymentRow = {
        tenant_id: device.tenantId,
        id: request.paymentId,
        store_id: device.storeId,
        device_id: device.deviceId,
        sale_id: request.saleId,
        sale_received_at: null,
        reference: request.reference,
        amount: request.amount,
        currency: request.currency,
        brand: request.brand,
        last4: request.last4,
        gateway_token: request.gatewayToken,
        entry: 'live',
        stored_reason: null,
        state: 'pending',
        attempts: 0,
        error_count: 0,
        next_attempt_at: now,
        lease_owner: lease.owner,
        lease_expires_at: lease.expiresAt,
        // No sale time yet: the payment is as old as this request. A pushed sale resets it.
        expires_at: addMinutes(now, device.store.cardOfflineLimits.maxAgeMinutes),
        gateway_ref: null,
        decline_code: null,
        message: null,
        last_error: null,
        quarantine_reason: null,
        written_off_by: null,
        written_off_reason: null,
        change_no: await nextChangeNo(trx),
        created_at: now,
        updated_at: now,
        captured_at: null,
        follow_up: null,
        follow_up_by: null,
        follow_up_reason: null,
        follow_up_at: null,
      };
      await trx.insertInto('payments').values(inserted).execute();
      return { kind: 'attempt', payment: toPaymentRecord(inserted) };
    }

    const conflict = conflictOf(row, device, request);
    if (conflict !== undefined) return { kind: 'conflict', message: conflict };
    const payment = toPaymentRecord(row);
    if (isTerminal(row.state) || row.state === 'quarantined') return { kind: 'settled', payment };
    // This request's own lease (owners are unique per request): a run of this transaction whose
    // commit was not acknowledged (Azure SQL re-runs it) took it — the attempt is still ours.
    if (row.lease_owner === lease.owner) return { kind: 'attempt', payment };
    if (row.lease_owner !== null && row.lease_expires_at !== null && row.lease_expires_at > now) {
      return { kind: 'busy', payment };
    }
    await trx
      .updateTable('payments')
      .set({ lease_owner: lease.owner, lease_expires_at: lease.expiresAt })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.id)
      .execute();
    return { kind: 'attempt', payment };
  });
}

/** Why a stored payment is not the one this request describes, or undefined when it is. */
function conflictOf(row: PaymentRow, device: DeviceContext, request: CaptureRequest): string | undefined {
  if (row.tenant_id !== device.tenantId || row.device_id !== device.deviceId) {
    return `Payment ${request.paymentId} belongs to another device; make a new payment id`;
  }
  const differences = [
    Number(row.amount) !== request.amount && 'amount',
    row.currency !== request.currency && 'currency',
    row.gateway_token !== request.gatewayToken && 'gatewayToken',
    row.brand !== request.brand && 'brand',
    row.last4 !== request.last4 && 'last4',
    row.sale_id !== null && row.sale_id !== request.saleId && 'saleId',
  ].filter((member) => member !== false);
  if (differences.length === 0) return undefined;
  return `Payment ${request.paymentId} already exists with another ${differences.join(', ')}; a payment id is used for one payment only`;
}
