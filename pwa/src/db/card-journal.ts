import type { CardTender, PaymentUpdatesResponse, Sale } from '@till/shared/core';
import type { CardPaymentRecord, CardPaymentState, TillDb } from './till-db.ts';

/**
 * The card payment journal. Every card payment gets its row BEFORE anything is sent for it, and
 * the row changes only here: a live answer, store-and-forward, the sale's own transaction, the
 * server's updates. The row's id is the payment id, the gateway idempotency key (I4).
 */

/** Stored and not yet settled: what counts against the device's offline limit. */
export const OUTSTANDING_CARD_STATES: readonly CardPaymentState[] = ['stored', 'pending', 'unknown', 'quarantined'];

/** Why the journal refused a change; a program acts on `code`, a person reads `message`. */
export class CardJournalError extends Error {
  constructor(
    readonly code: 'payment_id_reused' | 'tender_not_in_journal' | 'tender_mismatch' | 'not_removable',
    message: string,
  ) {
    super(message);
    this.name = 'CardJournalError';
  }
}

/** Why a payment may not be stored: over a store-and-forward limit. */
export interface StoreRefusal {
  code: 'over_per_payment' | 'over_device_total';
  message: string;
  /** The most that could still go on a stored card now (0 when nothing can). */
  maxOnCard: number;
}

/**
 * Writes the row of a live attempt before the capture request goes out, so that a crash after
 * a real charge leaves a trace of the id. An id the journal already holds is refused: a payment
 * id is made once and never reused for another payment (I4).
 */
export async function beginCardAttempt(db: TillDb, row: CardPaymentRecord): Promise<void> {
  await db.transaction('rw', db.cardPayments, async () => {
    if (await db.cardPayments.get(row.id)) {
      throw new CardJournalError('payment_id_reused', `Payment id ${row.id} is already in the journal`);
    }
    await db.cardPayments.add(row);
  });
}

/** Records what a live capture answer proved (captured, declined, or refused as a conflict). */
export async function settleCardAttempt(
  db: TillDb,
  id: string,
  change: Pick<CardPaymentRecord, 'state' | 'entry' | 'captureAttempt' | 'gatewayRef' | 'declineCode' | 'message'>,
  at: string,
): Promise<void> {
  await db.cardPayments.update(id, { ...change, updatedAt: at });
}

/** The amount this device holds in stored, unsettled card payments, optionally leaving one out. */
export async function outstandingStoredTotal(db: TillDb, excludeId?: string): Promise<number> {
  const rows = await db.cardPayments.where('state').anyOf(OUTSTANDING_CARD_STATES).toArray();
  return rows.filter((row) => row.id !== excludeId).reduce((sum, row) => sum + row.amount, 0);
}

/**
 * Puts a payment into store-and-forward. The limit check reads the device's outstanding total
 * and writes the row in ONE read-write transaction, so two tabs cannot both slip under the
 * limit. `check` gets the outstanding total of the other payments; null means "no limit
 * applies" (a charge may already exist, so the payment must be kept whatever its size). On a
 * refusal an existing attempt row is marked `cancelled`; otherwise nothing is written.
 */
export async function storeCardPayment(
  db: TillDb,
  row: CardPaymentRecord,
  check: ((outstanding: number) => StoreRefusal | null) | null,
): Promise<{ stored: true; outstandingBefore: number } | { stored: false; refusal: StoreRefusal }> {
  return db.transaction('rw', db.cardPayments, async () => {
    const outstandingBefore = await outstandingStoredTotal(db, row.id);
    const refusal = check?.(outstandingBefore) ?? null;
    if (refusal) {
      const existing = await db.cardPayments.get(row.id);
      if (existing) {
        await db.cardPayments.update(row.id, {
          state: 'cancelled',
          entry: null,
          storedReason: row.storedReason,
          captureAttempt: row.captureAttempt,
          message: refusal.message,
          updatedAt: row.updatedAt,
        });
      }
      return { stored: false as const, refusal };
    }
    await db.cardPayments.put({ ...row, state: 'stored', entry: 'stored' });
    return { stored: true as const, outstandingBefore };
  });
}

/** True when taking this payment off an unfinished sale cannot leave a charge behind. */
export function isRemovable(row: Pick<CardPaymentRecord, 'state' | 'receiptNo' | 'captureAttempt'>): boolean {
  return (
    row.state === 'stored' &&
    row.receiptNo === null &&
    (row.captureAttempt === 'none' || row.captureAttempt === 'refused')
  );
}

/** Takes a stored payment off an unfinished sale; only allowed when nothing can have been charged. */
export async function cancelStoredPayment(db: TillDb, id: string, at: string): Promise<void> {
  await db.transaction('rw', db.cardPayments, async () => {
    const row = await db.cardPayments.get(id);
    if (!row || !isRemovable(row)) {
      throw new CardJournalError('not_removable', 'This card payment may have been charged; complete the sale.');
    }
    await db.cardPayments.update(id, { state: 'cancelled', entry: null, updatedAt: at });
  });
}

/**
 * Called INSIDE the sale's read-write transaction (see `recordSale`): each card tender's journal
 * row takes its final state and the receipt number, in the same commit as the sale and the
 * chain head (I1). A tender the journal cannot vouch for — no row, another sale, other figures,
 * a decline, a live tender that was not captured — throws, which aborts the whole sale.
 */
export async function recordCardTenders(db: TillDb, sale: Sale, at: string): Promise<void> {
  for (const tender of sale.tenders) {
    if (tender.kind !== 'card') continue;
    const row = await db.cardPayments.get(tender.id);
    if (!row) {
      throw new CardJournalError('tender_not_in_journal', `Card payment ${tender.id} is not in the journal`);
    }
    checkTenderMatches(row, tender, sale.id);
    await db.cardPayments.update(tender.id, {
      entry: tender.entry,
      storedReason: tender.storedReason,
      receiptNo: sale.receiptNo,
      updatedAt: at,
    });
  }
}

function checkTenderMatches(row: CardPaymentRecord, tender: CardTender, saleId: string): void {
  const same =
    row.saleId === saleId &&
    row.amount === tender.amount &&
    row.brand === tender.brand &&
    row.last4 === tender.last4 &&
    row.gatewayToken === tender.gatewayToken &&
    row.receiptNo === null;
  const liveOk = tender.entry === 'live' && row.state === 'captured' && row.captureAttempt === 'answered';
  const storedOk =
    tender.entry === 'stored' &&
    row.captureAttempt !== 'answered' &&
    !['attempting', 'cancelled', 'conflict'].includes(row.state);
  if (!same || !(liveOk || storedOk)) {
    throw new CardJournalError(
      'tender_mismatch',
      `Card payment ${tender.id} does not match its journal row (${row.state}); the sale was not recorded`,
    );
  }
}

/**
 * Applies one payment updates answer and advances the cursor in ONE transaction: an outcome is
 * never half-applied, and the cursor never moves past an outcome that was not written (I5).
 * Updates older than what a row already holds are skipped. Returns the ids the journal does
 * not know (the server has them; they are reported, not invented here).
 */
export async function applyPaymentUpdates(
  db: TillDb,
  answer: PaymentUpdatesResponse,
  at: string,
): Promise<{ applied: number; unknownIds: string[] }> {
  return db.transaction('rw', db.cardPayments, db.meta, async () => {
    let applied = 0;
    const unknownIds: string[] = [];
    for (const update of answer.payments) {
      const row = await db.cardPayments.get(update.paymentId);
      if (!row) {
        unknownIds.push(update.paymentId);
        continue;
      }
      if (row.serverUpdatedAt && Date.parse(update.updatedAt) < Date.parse(row.serverUpdatedAt)) continue;
      // A payment taken off an unfinished sale stays cancelled: the server holds its live
      // attempt as unconfirmed and lets it expire uncharged. Only a charge would matter now.
      const state = row.state === 'cancelled' && update.state !== 'captured' ? 'cancelled' : update.state;
      await db.cardPayments.update(row.id, {
        state,
        gatewayRef: update.gatewayRef ?? row.gatewayRef,
        declineCode: update.declineCode,
        message: update.message ?? row.message,
        expiresAt: update.expiresAt ?? row.expiresAt,
        serverUpdatedAt: update.updatedAt,
        updatedAt: at,
      });
      applied += 1;
    }
    const cursor = await db.meta.get('paymentUpdatesCursor');
    if (typeof cursor?.value !== 'number' || answer.cursor > cursor.value) {
      await db.meta.put({ key: 'paymentUpdatesCursor', value: answer.cursor });
    }
    return { applied, unknownIds };
  });
}

/** What the status bar shows about stored cards. */
export interface StoredCardsSummary {
  count: number;
  total: number;
  /** The soonest expiry among them, or null when none is stored. */
  soonestExpiresAt: string | null;
}

export async function summariseStoredCards(db: TillDb): Promise<StoredCardsSummary> {
  const rows = await db.cardPayments.where('state').anyOf(OUTSTANDING_CARD_STATES).toArray();
  let soonest: string | null = null;
  for (const row of rows) {
    if (row.expiresAt && (soonest === null || Date.parse(row.expiresAt) < Date.parse(soonest))) soonest = row.expiresAt;
  }
  return { count: rows.length, total: rows.reduce((sum, row) => sum + row.amount, 0), soonestExpiresAt: soonest };
}

/** The journal rows of these sales, by sale id. */
export async function cardPaymentsOfSales(
  db: TillDb,
  saleIds: readonly string[],
): Promise<Map<string, CardPaymentRecord[]>> {
  const rows = await db.cardPayments
    .where('saleId')
    .anyOf([...saleIds])
    .toArray();
  const bySale = new Map<string, CardPaymentRecord[]>();
  for (const row of rows) bySale.set(row.saleId, [...(bySale.get(row.saleId) ?? []), row]);
  return bySale;
}

/** Stored payments the server declined or let expire that the cashier has not yet seen. */
export async function listCardAlerts(db: TillDb): Promise<CardPaymentRecord[]> {
  const rows = await db.cardPayments.where('state').anyOf(['declined', 'expired']).toArray();
  return rows.filter((row) => row.entry === 'stored' && row.alertSeenAt === null);
}

export async function acknowledgeCardAlerts(db: TillDb, ids: readonly string[], at: string): Promise<void> {
  await db.transaction('rw', db.cardPayments, async () => {
    for (const id of ids) await db.cardPayments.update(id, { alertSeenAt: at });
  });
}

/**
 * Card payments that belong to no recorded sale and may have a charge or a forward behind
 * them: the sale in progress, or one a closed tab interrupted. Cancelled payments and live
 * declines (never tenders) are left out.
 */
export async function listUnrecordedCardPayments(db: TillDb): Promise<CardPaymentRecord[]> {
  const rows = await db.cardPayments.orderBy('createdAt').toArray();
  return rows.filter(
    (row) =>
      row.receiptNo === null &&
      row.state !== 'cancelled' &&
      !(row.state === 'declined' && row.captureAttempt === 'answered'),
  );
}
