import { formatMoney, uuidv7 } from '@till/shared/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getMeta, listCardAlerts, predictReceiptNo, recordSale, type TillDb } from '../../db/index.ts';
import { GATEWAY_DOWN, GATEWAY_TIMEOUT } from '../../test-support/fake-payments.ts';
import { FakeSyncServer } from '../../test-support/fake-sync-server.ts';
import { openEnrolledDb, saleDraftPaidBy, TEST_STORE } from '../../test-support/ledger-fixtures.ts';
import type { CardRead } from '../card-reader/card-reader.ts';
import { TEST_CARDS } from '../card-reader/test-cards.ts';
import { SyncEngine } from '../sync/sync-engine.ts';
import { GatewayMonitor } from './gateway-monitor.ts';
import { pullPaymentUpdates } from './payment-updates.ts';
import { type CardPaymentContext, takeCardPayment } from './take-card-payment.ts';

const recorder = { storeCode: 'DEMO', deviceNo: 3 };
const VISA = TEST_CARDS[0]?.read as CardRead;

let server: FakeSyncServer;
let db: TillDb;
let ctx: CardPaymentContext;
let engine: SyncEngine;

beforeEach(async () => {
  server = await new FakeSyncServer().start();
  db = await openEnrolledDb();
  const fetchLocal = (input: string, init?: RequestInit) => fetch(input, init);
  ctx = {
    db,
    target: { baseUrl: server.url, fetch: fetchLocal },
    monitor: new GatewayMonitor({ now: () => Date.now() }),
    now: () => Date.now(),
    isOnline: () => true,
    format: (amount) => formatMoney(amount, 'EUR', 'en-IE'),
    captureTimeoutMs: 500,
  };
  engine = new SyncEngine({
    db,
    baseUrl: server.url,
    fetch: fetchLocal,
    now: () => Date.now(),
    random: () => 0.5,
    setTimer: () => null,
    clearTimer: () => {},
    locks: null,
    appVersion: 'test',
  });
});

afterEach(async () => {
  await server.close();
  db.close();
});

async function sellOnCard(amount: number, card: CardRead = VISA) {
  const saleId = uuidv7();
  const paymentId = uuidv7();
  const reference = await predictReceiptNo(db, recorder);
  const result = await takeCardPayment(ctx, { paymentId, saleId, amount, reference, store: TEST_STORE, card });
  if (result.kind !== 'stored' && result.kind !== 'captured') throw new Error(`not a tender: ${result.kind}`);
  const sale = await recordSale(db, saleDraftPaidBy(saleId, [result.tender]), recorder);
  return { paymentId, sale, result };
}

describe('a card payment keeps one id for its whole life', () => {
  it('[I4] the payment id never changes across live attempt → store → push → forward → outcome', async () => {
    server.nextCapture(GATEWAY_TIMEOUT);
    const { paymentId, sale } = await sellOnCard(2_345);

    const captureId = server.payments.captures[0]?.request.paymentId;
    const journal = await db.cardPayments.get(paymentId);
    const saleTender = sale.tenders[0];
    expect(await engine.pushOnce()).toMatchObject({ kind: 'sent' });
    const pushedTender = server.pushes[0]?.request.sales[0]?.tenders[0];
    const forwarded = server.payments.payments.get(paymentId);

    expect(captureId).toBe(paymentId);
    expect(journal?.id).toBe(paymentId);
    expect(saleTender).toMatchObject({ id: paymentId, kind: 'card', entry: 'stored', storedReason: 'timeout' });
    expect(pushedTender).toEqual(saleTender);
    expect(forwarded?.update).toMatchObject({ paymentId, saleId: sale.id, amount: 2_345 });

    // The capture worker settles it under the same id; the till learns it from the updates feed.
    server.payments.settle(paymentId, 'captured', { gatewayRef: 'ch_forwarded' });
    expect(await pullPaymentUpdates(db, ctx.target, ctx.now)).toMatchObject({ kind: 'applied', unknownIds: [] });
    expect(await db.cardPayments.get(paymentId)).toMatchObject({ state: 'captured', gatewayRef: 'ch_forwarded' });
    expect(new Set([captureId, journal?.id, saleTender?.id, pushedTender?.id, forwarded?.update.paymentId]).size).toBe(
      1,
    );
    expect(await db.cardPayments.count()).toBe(1);
  });

  it('[I5] stored cards show pending, then captured or declined; a decline after forwarding raises an alert', async () => {
    server.nextCapture(GATEWAY_DOWN);
    const first = await sellOnCard(1_000);
    const second = await sellOnCard(2_000, TEST_CARDS[3]?.read);
    expect(server.payments.captures).toHaveLength(1); // the second was stored at once: breaker known open
    await engine.pushOnce();
    await pullPaymentUpdates(db, ctx.target, ctx.now);
    expect((await db.cardPayments.bulkGet([first.paymentId, second.paymentId])).map((row) => row?.state)).toEqual([
      'pending',
      'pending',
    ]);

    server.payments.settle(first.paymentId, 'captured', { gatewayRef: 'ch_1' });
    server.payments.settle(second.paymentId, 'declined', {
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
    await pullPaymentUpdates(db, ctx.target, ctx.now);
    expect((await db.cardPayments.bulkGet([first.paymentId, second.paymentId])).map((row) => row?.state)).toEqual([
      'captured',
      'declined',
    ]);
    expect((await listCardAlerts(db)).map((alert) => alert.id)).toEqual([second.paymentId]);
    expect(await getMeta(db, 'paymentUpdatesCursor')).toBe(server.payments.updates(0).cursor);

    // Nothing new: the next pull changes nothing and asks from the stored cursor.
    expect(await pullPaymentUpdates(db, ctx.target, ctx.now)).toMatchObject({ applied: 0 });
    expect(server.requests.at(-1)).toBe(`GET /api/v1/payments/updates?since=${server.payments.updates(0).cursor}`);
  });
});
