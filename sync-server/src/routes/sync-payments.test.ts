import { API_PREFIX, type CaptureResponse, type PaymentUpdatesResponse, type PushResponse } from '@till/shared';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../test/gateway-helper.ts';
import {
  cardOf,
  count,
  rows,
  startTestServer,
  type TestServer,
  type TestTill,
  tableCounts,
} from '../../test/helper.ts';

let gateway: TestGateway;
let server: TestServer;
beforeAll(async () => {
  gateway = await startTestGateway();
  server = await startTestServer(gatewayEnv(gateway));
});
afterAll(async () => {
  await server.close();
  await gateway.close();
});
beforeEach(async () => {
  await gateway.control.setFault({ mode: 'up' });
});

const paymentRow = (id: string) => rows(server.sql, 'payments', { id })[0];
const saleRow = (id: string) => rows(server.sql, 'sales', { id })[0];
const worker = () => {
  if (server.app.captureWorker === null) throw new Error('no capture worker');
  return server.app.captureWorker;
};
const updates = (till: TestTill, since?: number) =>
  server.app.inject({
    method: 'GET',
    url: `${API_PREFIX}/payments/updates${since === undefined ? '' : `?since=${since}`}`,
    headers: till.headers,
  });

describe('push: the capture outbox', () => {
  it('[PAY-3] a stored card tender becomes a pending payment in the push transaction, confirmed by its sale', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale();
    const response = await till.push(till.pushBody([sale]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'new', flags: [] });
    const card = cardOf(sale);
    expect(paymentRow(card.id)).toMatchObject({
      tenant_id: expect.any(String),
      device_id: till.deviceId,
      sale_id: sale.id,
      sale_received_at: server.clock.now().toISOString(),
      state: 'pending',
      entry: 'stored',
      stored_reason: 'gateway_unavailable',
      amount: card.amount,
      currency: 'USD',
      gateway_token: 'pm_card_visa',
      reference: sale.receiptNo,
      // Sale time + the store's 24 h.
      expires_at: new Date(Date.parse(sale.createdAt) + 24 * 3_600_000).toISOString(),
      attempts: 0,
    });
  });

  it('[PAY-3][SYNC-1] a push that fails writes no payment either', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale();
    const body = till.pushBody([sale]);
    // Make the batch insert (the last write of the transaction) fail, once, for this batch.
    const writer = new Database(server.config.database.file);
    writer.exec(
      `create trigger fail_batch before insert on batches when new.id = '${body.batchId}' begin select raise(abort, 'disk on fire'); end`,
    );
    try {
      const before = tableCounts(server.sql);
      const response = await till.push(body);
      expect(response.statusCode).toBe(500);
      expect(tableCounts(server.sql)).toEqual(before);
      expect(paymentRow(cardOf(sale).id)).toBeUndefined();
    } finally {
      writer.exec('drop trigger fail_batch');
      writer.close();
    }
    expect((await till.push(body)).statusCode).toBe(200);
    expect(paymentRow(cardOf(sale).id)).toMatchObject({ state: 'pending' });
  });

  it('[PAY-3][I2] a duplicate or conflicting copy of a sale queues nothing more', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale();
    await till.push(till.pushBody([sale]));
    const before = count(server.sql, 'payments');
    expect((await till.push(till.pushBody([sale]))).json<PushResponse>().results[0]?.status).toBe('duplicate');
    const altered = { ...sale, receiptNo: `${sale.receiptNo}X` };
    expect((await till.push(till.pushBody([altered]))).json<PushResponse>().results[0]?.flags).toEqual([
      'payload_conflict',
    ]);
    expect(count(server.sql, 'payments')).toBe(before);
  });

  it('[PAY-4] a live tender the server captured is verified and linked to its sale', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale({ entry: 'live', storedReason: null });
    const card = cardOf(sale);
    const captured = await server.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/payments/capture`,
      headers: till.headers,
      payload: {
        paymentId: card.id,
        saleId: sale.id,
        amount: card.amount,
        currency: 'USD',
        gatewayToken: card.gatewayToken,
        brand: card.brand,
        last4: card.last4,
        reference: sale.receiptNo,
      },
    });
    expect(captured.json<CaptureResponse>().status).toBe('captured');
    // The till puts the gateway ref on the tender; it is part of the sealed sale.
    const sealed = await till.makeSale(sale.deviceSeq, sale.prevHash, (s) => ({
      ...s,
      id: sale.id,
      createdAt: sale.createdAt,
      tenders: [{ ...card, gatewayRef: captured.json<CaptureResponse>().gatewayRef }],
    }));
    const response = await till.push(till.pushBody([sealed]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'new', flags: [] });
    expect(paymentRow(card.id)).toMatchObject({ state: 'captured', sale_id: sale.id, entry: 'live' });
    expect(paymentRow(card.id)?.sale_received_at).not.toBeNull();
  });

  it('[PAY-4] a live tender the server has no captured record of is flagged payment_unverified; the payment is unknown', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale({ entry: 'live', storedReason: null, gatewayRef: 'pi_made_up' });
    const response = await till.push(till.pushBody([sale]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({
      status: 'flagged',
      flags: ['payment_unverified'],
    });
    expect(saleRow(sale.id)).toMatchObject({ status: 'flagged', flags: '["payment_unverified"]' });
    expect(paymentRow(cardOf(sale).id)).toMatchObject({ state: 'unknown', sale_id: sale.id });
  });

  it('[PAY-4] a card tender whose payment id another sale already carries is flagged and changes nothing', async () => {
    const till = await server.enroll();
    const first = await till.nextCardSale();
    await till.push(till.pushBody([first]));
    const before = paymentRow(cardOf(first).id);
    const copycat = await till.nextCardSale({ id: cardOf(first).id });
    const response = await till.push(till.pushBody([copycat]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({
      status: 'flagged',
      flags: ['payment_unverified'],
    });
    expect(paymentRow(cardOf(first).id)).toEqual(before);
  });

  it('[PAY-4] a stored tender with another amount than its live attempt is flagged; the attempt is untouched', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale();
    const card = cardOf(sale);
    await gateway.control.setFault({ mode: 'down' });
    const attempt = await server.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/payments/capture`,
      headers: till.headers,
      payload: {
        paymentId: card.id,
        saleId: sale.id,
        amount: card.amount + 1,
        currency: 'USD',
        gatewayToken: card.gatewayToken,
        brand: card.brand,
        last4: card.last4,
        reference: sale.receiptNo,
      },
    });
    expect(attempt.statusCode).toBe(503);
    const before = paymentRow(card.id);
    const response = await till.push(till.pushBody([sale]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({
      status: 'flagged',
      flags: ['payment_unverified'],
    });
    expect(paymentRow(card.id)).toEqual(before);
    expect(before).toMatchObject({ state: 'pending', sale_received_at: null, amount: card.amount + 1 });
  });

  it('[I4][PAY-3] the pushed tender id IS the gateway idempotency key, from push to capture', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale();
    await till.push(till.pushBody([sale]));
    expect(await worker().runOnce(50)).toBeGreaterThan(0);
    const id = cardOf(sale).id;
    const ledger = await gateway.ledger();
    expect(ledger.counts.byIdempotencyKey[id]).toBe(1);
    expect(ledger.counts.succeededByTillPaymentId[id]).toBe(1);
    expect(paymentRow(id)).toMatchObject({ state: 'captured', attempts: 1 });
    expect(ledger.charges.find((c) => c.idempotencyKey === id)).toMatchObject({ amount: cardOf(sale).amount });
  });

  it('[PAY-11] GET /payments/updates: this device’s payment changes after the cursor, oldest first', async () => {
    const till = await server.enroll();
    const other = await server.enroll('Other');
    const [a, b] = [await till.nextCardSale(), await till.nextCardSale({ gatewayToken: 'pm_card_chargeDeclined' })];
    if (!a || !b) throw new Error('sales missing');
    await till.push(till.pushBody([a, b]));
    await other.push(other.pushBody([await other.nextCardSale()]));

    const first = (await updates(till)).json<PaymentUpdatesResponse>();
    expect(first.payments.map((p) => [p.paymentId, p.state])).toEqual([
      [cardOf(a).id, 'pending'],
      [cardOf(b).id, 'pending'],
    ]);
    await worker().runOnce(50);
    const next = (await updates(till, first.cursor)).json<PaymentUpdatesResponse>();
    expect(next.cursor).toBeGreaterThan(first.cursor);
    expect(next.payments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          paymentId: cardOf(a).id,
          state: 'captured',
          gatewayRef: expect.stringMatching(/^pi_/),
        }),
        expect.objectContaining({
          paymentId: cardOf(b).id,
          state: 'declined',
          declineCode: 'generic_decline',
          message: 'Declined: Your card was declined.',
          saleId: b.id,
        }),
      ]),
    );
    expect(next.payments).toHaveLength(2);
    expect((await updates(till, next.cursor)).json<PaymentUpdatesResponse>()).toEqual({
      cursor: next.cursor,
      payments: [],
    });
    // A cursor from before a ledger reset (ahead of the server) starts over.
    expect((await updates(till, 10_000_000)).json<PaymentUpdatesResponse>().payments).toHaveLength(2);
    const bad = await updates(till, -1);
    expect(bad.statusCode).toBe(400);
  });
});
