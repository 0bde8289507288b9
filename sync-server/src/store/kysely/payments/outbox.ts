import type { CardTender, FlagCode, Sale } from '@till/shared';
import type { Kysely, Updateable } from 'kysely';
import type { DeviceContext } from '../../ledger-store.ts';
import type { LedgerTables, PaymentsTable } from '../../tables.ts';
import { ledgerDialectOf } from '../ledger-dialect.ts';
import { addMinutes, nextChangeNo, type PaymentRow } from './payment-rows.ts';

/**
 * The transactional outbox: the card tenders of a NEW sale become (or confirm) `payments` rows
 * inside the push transaction, so a committed sale always has its captures queued and a failed
 * push queues nothing (PAY-3). Returns the flags the sale earns (`payment_unverified`).
 *
 * Per card tender, keyed by its id — the payment id, which is the gateway idempotency key and
 * is never regenerated (I4):
 * - `stored`, unseen → `pending`, confirmed by this sale, expiring at sale time + maxAgeMinutes.
 * - `stored`, seen in a live attempt of this device with the same amount and card → confirmed
 *   and its state kept: captured stays captured, unknown stays unknown (resolved under the same
 *   key), pending becomes due now. A live attempt already declined, expired or written off stays
 *   so, and the sale is flagged: its card tender will not be captured.
 * - `live` → must match a `captured` row (same amount, and gatewayRef when the tender has one).
 *   Otherwise the sale is flagged `payment_unverified`; an unseen one is created `unknown`, and a
 *   pending one becomes `unknown`, so the worker looks it up before any charge under its key.
 * - Anything that contradicts a stored row (another device or sale, other amount or card) is
 *   flagged and changes nothing.
 */
export async function queueCardTenders(
  trx: Kysely<LedgerTables>,
  device: DeviceContext,
  sale: Sale,
  receivedAt: string,
): Promise<FlagCode[]> {
  let unverified = false;
  for (const tender of sale.tenders) {
    if (tender.kind !== 'card') continue;
    const verified = await queueCardTender(trx, device, sale, tender, receivedAt);
    if (!verified) unverified = true;
  }
  return unverified ? ['payment_unverified'] : [];
}

async function queueCardTender(
  trx: Kysely<LedgerTables>,
  device: DeviceContext,
  sale: Sale,
  tender: CardTender,
  receivedAt: string,
): Promise<boolean> {
  const expiresAt = addMinutes(sale.createdAt, device.store.cardOfflineLimits.maxAgeMinutes);
  const row = await trx
    .selectFrom(ledgerDialectOf(trx).lockedTable('payments', 'update'))
    .selectAll()
    .where('id', '=', tender.id)
    .executeTakeFirst();

  if (row === undefined) {
    const live = tender.entry === 'live';
    await trx
      .insertInto('payments')
      .values({
        tenant_id: device.tenantId,
        id: tender.id,
        store_id: device.storeId,
        device_id: device.deviceId,
        sale_id: sale.id,
        sale_received_at: receivedAt,
        reference: sale.receiptNo,
        amount: tender.amount,
        currency: sale.currency,
        brand: tender.brand,
        last4: tender.last4,
        gateway_token: tender.gatewayToken,
        entry: tender.entry,
        stored_reason: tender.storedReason,
        state: live ? 'unknown' : 'pending',
        attempts: 0,
        error_count: 0,
        next_attempt_at: receivedAt,
        lease_owner: null,
        lease_expires_at: null,
        expires_at: expiresAt,
        gateway_ref: null,
        decline_code: null,
        message: live
          ? 'The till reported a live capture the server has no record of; checking with the gateway'
          : null,
        last_error: null,
        quarantine_reason: null,
        written_off_by: null,
        written_off_reason: null,
        change_no: await nextChangeNo(trx),
        created_at: receivedAt,
        updated_at: receivedAt,
        captured_at: null,
        follow_up: null,
        follow_up_by: null,
        follow_up_reason: null,
        follow_up_at: null,
      })
      .execute();
    return !live;
  }

  if (contradicts(row, device, sale, tender)) return false;

  // The same payment, first seen in a live attempt: link it to its sale, keep its key and
  // the parameters it was sent with (a retry must be the identical request — I4).
  const update: Updateable<PaymentsTable> = {
    sale_id: sale.id,
    sale_received_at: receivedAt,
    entry: tender.entry,
    stored_reason: tender.storedReason,
    expires_at: expiresAt,
    updated_at: receivedAt,
  };
  let verified: boolean;
  if (tender.entry === 'stored') {
    verified =
      row.state === 'pending' || row.state === 'unknown' || row.state === 'captured' || row.state === 'quarantined';
    if (row.state === 'pending') update.next_attempt_at = receivedAt;
  } else {
    verified = row.state === 'captured' && (tender.gatewayRef === null || tender.gatewayRef === row.gateway_ref);
    if (row.state === 'pending') {
      update.state = 'unknown';
      update.next_attempt_at = receivedAt;
    }
  }
  update.change_no = await nextChangeNo(trx);
  await trx
    .updateTable('payments')
    .set(update)
    .where('tenant_id', '=', row.tenant_id)
    .where('id', '=', row.id)
    .execute();
  return verified;
}

/** A stored row that cannot be this tender: flag the sale, touch nothing. */
function contradicts(row: PaymentRow, device: DeviceContext, sale: Sale, tender: CardTender): boolean {
  return (
    row.tenant_id !== device.tenantId ||
    row.device_id !== device.deviceId ||
    row.sale_received_at !== null ||
    (row.sale_id !== null && row.sale_id !== sale.id) ||
    Number(row.amount) !== tender.amount ||
    row.currency !== sale.currency ||
    row.gateway_token !== tender.gatewayToken ||
    row.brand !== tender.brand ||
    row.last4 !== tender.last4
  );
}
