import { type CardTender, uuidv7 } from '@till/shared/core';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openEnrolledDb, saleDraftPaidBy } from '../test-support/ledger-fixtures.ts';
import {
  applyPaymentUpdates,
  beginCardAttempt,
  CardJournalError,
  cancelStoredPayment,
  listCardAlerts,
  storeCardPayment,
  summariseStoredCards,
} from './card-journal.ts';
import { getMeta } from './meta.ts';
import { readChainHead, recordSale } from './record-sale.ts';
import { type CardPaymentRecord, TillDb } from './till-db.ts';

const recorder = { storeCode: 'DEMO', deviceNo: 3 };
const AT = '2025-03-01T09:00:00.000Z';

function row(saleId: string, changes: Partial<CardPaymentRecord> = {}): CardPaymentRecord {
  return {
    id: uuidv7(),
    saleId,
    reference: 'DEMO-03-000001',
    amount: 1500,
    currency: 'EUR',
    brand: 'visa',
    last4: '4242',
    gatewayToken: 'pm_card_visa',
    state: 'stored',
    entry: 'stored',
    storedReason: 'gateway_unavailable',
    captureAttempt: 'none',
    gatewayRef: null,
    declineCode: null,
    message: null,
    createdAt: AT,
    updatedAt: AT,
    expiresAt: '2025-03-02T09:00:00.000Z',
    receiptNo: null,
    serverUpdatedAt: null,
    alertSeenAt: null,
    ...changes,
  };
}

function tenderFor(payment: CardPaymentRecord, entry: CardTender['entry'] = 'stored'): CardTender {
  return {
    id: payment.id,
    kind: 'card',
    amount: payment.amount,
    brand: payment.brand,
    last4: payment.last4,
    gatewayToken: payment.gatewayToken,
    entry,
    gatewayRef: entry === 'live' ? payment.gatewayRef : null,
    storedReason: entry === 'stored' ? payment.storedReason : null,
  };
}

describe('the sale transaction and the payment journal', () => {
  it('[I1] a split sale (cash + stored card) commits with its card journal row in one transaction', async () => {
    const db = await openEnrolledDb();
    const saleId = uuidv7();
    const card = row(saleId);
    await storeCardPayment(db, card, null);
    const cash = { id: uuidv7(), kind: 'cash' as const, amount: 500, tendered: 1000, change: 500 };
    const sale = await recordSale(db, saleDraftPaidBy(saleId, [tenderFor(card), cash]), recorder);
    expect(sale.totals.total).toBe(2000);
    expect(sale.tenders.reduce((sum, tender) => sum + tender.amount, 0)).toBe(sale.totals.total);
    expect(await db.cardPayments.get(card.id)).toMatchObject({
      state: 'stored',
      entry: 'stored',
      receiptNo: 'DEMO-03-000001',
      updatedAt: sale.createdAt,
    });
  });

  it('[I1] a card tender the journal cannot vouch for aborts the whole sale: no sale, no head, no journal change', async () => {
    const db = await openEnrolledDb();
    const saleId = uuidv7();
    const good = row(saleId);
    const declined = row(saleId, { state: 'declined', entry: null, captureAttempt: 'answered', amount: 700 });
    await storeCardPayment(db, good, null);
    await beginCardAttempt(db, declined);
    const headBefore = await readChainHead(db);
    const journalBefore = await db.cardPayments.toArray();
    // The first tender's journal row is updated inside the transaction before the second fails.
    const draft = saleDraftPaidBy(saleId, [tenderFor(good), tenderFor(declined, 'live')]);
    const failure = await recordSale(db, draft, recorder).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CardJournalError);
    expect((failure as CardJournalError).code).toBe('tender_mismatch');
    expect(await db.sales.count()).toBe(0);
    expect(await readChainHead(db)).toEqual(headBefore);
    expect(await db.cardPayments.toArray()).toEqual(journalBefore);
  });

  it('[I1] a card tender with no journal row at all is refused', async () => {
    const db = await openEnrolledDb();
    const saleId = uuidv7();
    const unknown = row(saleId);
    await expect(recordSale(db, saleDraftPaidBy(saleId, [tenderFor(unknown)]), recorder)).rejects.toMatchObject({
      code: 'tender_not_in_journal',
    });
    expect(await db.sales.count()).toBe(0);
  });

  it('[I1] a live tender must be one the gateway captured', async () => {
    const db = await openEnrolledDb();
    const saleId = uuidv7();
    const captured = row(saleId, { state: 'captured', entry: 'live', captureAttempt: 'answered', gatewayRef: 'ch_1' });
    await beginCardAttempt(db, captured);
    await expect(recordSale(db, saleDraftPaidBy(saleId, [tenderFor(captured, 'stored')]), recorder)).rejects.toThrow(
      CardJournalError,
    );
    const sale = await recordSale(db, saleDraftPaidBy(saleId, [tenderFor(captured, 'live')]), recorder);
    expect(await db.cardPayments.get(captured.id)).toMatchObject({ state: 'captured', receiptNo: sale.receiptNo });
  });
});

describe('the payment journal', () => {
  it('[I4] a payment id is never written twice', async () => {
    const db = await openEnrolledDb();
    const payment = row(uuidv7(), { state: 'attempting' });
    await beginCardAttempt(db, payment);
    await expect(beginCardAttempt(db, payment)).rejects.toMatchObject({ code: 'payment_id_reused' });
  });

  it('only a stored payment that nothing can have charged may be taken off an unfinished sale', async () => {
    const db = await openEnrolledDb();
    const saleId = uuidv7();
    const safe = row(saleId, { captureAttempt: 'refused' });
    const maybeCharged = row(saleId, { captureAttempt: 'unknown' });
    await storeCardPayment(db, safe, null);
    await storeCardPayment(db, maybeCharged, null);
    await cancelStoredPayment(db, safe.id, AT);
    expect(await db.cardPayments.get(safe.id)).toMatchObject({ state: 'cancelled' });
    await expect(cancelStoredPayment(db, maybeCharged.id, AT)).rejects.toMatchObject({ code: 'not_removable' });
    expect(await summariseStoredCards(db)).toEqual({
      count: 1,
      total: 1500,
      soonestExpiresAt: '2025-03-02T09:00:00.000Z',
    });
  });

  it('[I5] payment updates and the cursor are applied in one transaction; stale updates are skipped', async () => {
    const db = await openEnrolledDb();
    const a = row(uuidv7());
    const b = row(uuidv7(), { expiresAt: '2025-03-01T20:00:00.000Z' });
    await storeCardPayment(db, a, null);
    await storeCardPayment(db, b, null);
    expect((await summariseStoredCards(db)).soonestExpiresAt).toBe('2025-03-01T20:00:00.000Z');
    const base = { saleId: null, gatewayRef: null, declineCode: null, message: null, expiresAt: null, amount: 1500 };
    const result = await applyPaymentUpdates(
      db,
      {
        cursor: 7,
        payments: [
          { ...base, paymentId: a.id, state: 'pending', updatedAt: '2025-03-01T09:01:00.000Z' },
          { ...base, paymentId: a.id, state: 'captured', gatewayRef: 'ch_a', updatedAt: '2025-03-01T09:05:00.000Z' },
          {
            ...base,
            paymentId: b.id,
            state: 'declined',
            declineCode: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
            updatedAt: '2025-03-01T09:06:00.000Z',
          },
          { ...base, paymentId: 'not-ours', state: 'captured', updatedAt: '2025-03-01T09:06:00.000Z' },
        ],
      },
      AT,
    );
    expect(result).toEqual({ applied: 3, unknownIds: ['not-ours'] });
    expect(await db.cardPayments.get(a.id)).toMatchObject({ state: 'captured', gatewayRef: 'ch_a' });
    expect(await db.cardPayments.get(b.id)).toMatchObject({ state: 'declined', declineCode: 'insufficient_funds' });
    expect(await getMeta(db, 'paymentUpdatesCursor')).toBe(7);
    expect((await listCardAlerts(db)).map((alert) => alert.id)).toEqual([b.id]);
    expect(await summariseStoredCards(db)).toEqual({ count: 0, total: 0, soonestExpiresAt: null });

    // A replayed older update changes nothing.
    await applyPaymentUpdates(
      db,
      { cursor: 7, payments: [{ ...base, paymentId: a.id, state: 'pending', updatedAt: '2025-03-01T09:01:00.000Z' }] },
      AT,
    );
    expect((await db.cardPayments.get(a.id))?.state).toBe('captured');
  });

  it('a cancelled payment stays cancelled while the server lets its live attempt expire; a charge would show', async () => {
    const db = await openEnrolledDb();
    const saleId = uuidv7();
    const refused = row(saleId, { captureAttempt: 'refused' });
    await storeCardPayment(db, refused, null);
    await cancelStoredPayment(db, refused.id, AT);
    const base = { saleId: null, gatewayRef: null, declineCode: null, message: null, expiresAt: null, amount: 1500 };
    await applyPaymentUpdates(
      db,
      {
        cursor: 2,
        payments: [
          { ...base, paymentId: refused.id, state: 'pending', updatedAt: '2025-03-01T09:01:00.000Z' },
          { ...base, paymentId: refused.id, state: 'expired', updatedAt: '2025-03-02T09:01:00.000Z' },
        ],
      },
      AT,
    );
    expect((await db.cardPayments.get(refused.id))?.state).toBe('cancelled');
    expect((await summariseStoredCards(db)).count).toBe(0);
    expect(await listCardAlerts(db)).toEqual([]);
    await applyPaymentUpdates(
      db,
      {
        cursor: 3,
        payments: [{ ...base, paymentId: refused.id, state: 'captured', updatedAt: '2025-03-02T09:02:00.000Z' }],
      },
      AT,
    );
    expect((await db.cardPayments.get(refused.id))?.state).toBe('captured');
  });

  it('[I5] an update that cannot be applied leaves every row and the cursor as they were', async () => {
    const db = await openEnrolledDb();
    const a = row(uuidv7());
    await storeCardPayment(db, a, null);
    const base = { saleId: null, gatewayRef: null, declineCode: null, message: null, expiresAt: null, amount: 1500 };
    const broken = { ...base, paymentId: null as unknown as string, state: 'captured' as const, updatedAt: AT };
    await expect(
      applyPaymentUpdates(
        db,
        { cursor: 3, payments: [{ ...base, paymentId: a.id, state: 'captured', updatedAt: AT }, broken] },
        AT,
      ),
    ).rejects.toThrow();
    expect((await db.cardPayments.get(a.id))?.state).toBe('stored');
    expect(await getMeta(db, 'paymentUpdatesCursor')).toBeUndefined();
  });

  it('schema version 2 adds the journal and keeps every version 1 row', async () => {
    const name = `till-upgrade-${Math.random().toString(36).slice(2)}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({
      device: 'deviceId',
      chain: 'key',
      sales: 'id, &deviceSeq, [syncState+deviceSeq], createdAt',
      catalog: 'id, category, *barcodes, sku',
      meta: 'key',
    });
    await v1.table('meta').put({ key: 'lastSyncAt', value: AT });
    await v1.table('chain').put({ key: 'head', lastSeq: 4, lastHash: 'f'.repeat(64) });
    v1.close();

    const db = new TillDb(name);
    expect(await getMeta(db, 'lastSyncAt')).toBe(AT);
    expect(await readChainHead(db)).toEqual({ lastSeq: 4, lastHash: 'f'.repeat(64) });
    expect(await db.cardPayments.count()).toBe(0);
    expect(db.verno).toBeGreaterThanOrEqual(2); // later versions (v3: shifts) upgrade through it
    db.close();
  });
});
