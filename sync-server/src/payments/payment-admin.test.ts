import { API_PREFIX, type CaptureResponse, type PushResponse } from '@till/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../test/gateway-helper.ts';
import { cardOf, rows, startTestServer, type TestServer } from '../../test/helper.ts';

/** What a manager does with payments (till-admin for now): write off, send back, see attempts. */
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
const now = () => server.clock.now().toISOString();
const worker = () => {
  if (server.app.captureWorker === null) throw new Error('no worker');
  return server.app.captureWorker;
};

describe('managing payments', () => {
  it('[PAY-10][I5] a named manager writes off a payment that will not be captured; it is final and sent to the till', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale({ gatewayToken: 'pm_card_noSuchTokenAnywhere' });
    await till.push(till.pushBody([sale]));
    await worker().runOnce();
    const id = cardOf(sale).id;
    expect(paymentRow(id)).toMatchObject({ state: 'quarantined' });

    const result = await server.app.ledger.writeOffPayment({
      paymentId: id,
      by: 'Dana (manager)',
      reason: 'card token lost',
      now: now(),
    });
    expect(result).toMatchObject({ kind: 'done', payment: { state: 'written_off' } });
    expect(paymentRow(id)).toMatchObject({
      state: 'written_off',
      written_off_by: 'Dana (manager)',
      written_off_reason: 'card token lost',
    });
    const again = await server.app.ledger.writeOffPayment({ paymentId: id, by: 'Dana', reason: 'again', now: now() });
    expect(again).toMatchObject({ kind: 'refused' });
    server.clock.advance(3_600_000);
    expect(await worker().runOnce()).toBe(0);
    const updates = await server.app.inject({
      method: 'GET',
      url: `${API_PREFIX}/payments/updates`,
      headers: till.headers,
    });
    expect(updates.json().payments).toEqual([
      expect.objectContaining({
        paymentId: id,
        state: 'written_off',
        message: 'Written off by Dana (manager): card token lost',
      }),
    ]);
  });

  it('[PAY-10][I4] captured and unknown payments cannot be written off (a charge may exist)', async () => {
    const till = await server.enroll();
    const [captured, unknown] = [await till.nextCardSale(), await till.nextCardSale()];
    if (!captured || !unknown) throw new Error('sales missing');
    await till.push(till.pushBody([captured]));
    await worker().runOnce();
    await gateway.control.setFault({ mode: 'commit_then_drop' });
    await till.push(till.pushBody([unknown]));
    await worker().runOnce();
    expect(paymentRow(cardOf(unknown).id)).toMatchObject({ state: 'unknown' });
    for (const sale of [captured, unknown]) {
      const result = await server.app.ledger.writeOffPayment({
        paymentId: cardOf(sale).id,
        by: 'Dana',
        reason: 'x',
        now: now(),
      });
      expect(result.kind).toBe('refused');
    }
    expect(
      await server.app.ledger.writeOffPayment({
        paymentId: '01890a5d-ac96-774b-bcce-b302099a8057',
        by: 'D',
        reason: 'x',
        now: now(),
      }),
    ).toEqual({ kind: 'not_found' });
  });

  it('[PAY-10][I4] a quarantined payment sent back is looked up before any new attempt, under the same key', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale({ gatewayToken: 'pm_card_retiredToken' });
    await till.push(till.pushBody([sale]));
    const id = cardOf(sale).id;
    await worker().runOnce();
    expect(paymentRow(id)).toMatchObject({ state: 'quarantined' });
    // Set aside: the worker leaves it alone (other tests' payments share this ledger, so count
    // this payment's attempts rather than what the pass processed).
    await worker().runOnce();
    expect(await server.app.ledger.attemptsOf(id)).toHaveLength(1);

    const sentBack = await server.app.ledger.requeuePayment({ paymentId: id, now: now() });
    expect(sentBack).toMatchObject({ kind: 'done', payment: { state: 'unknown', errorCount: 0 } });
    await worker().runOnce();
    const attempts = await server.app.ledger.attemptsOf(id);
    expect(attempts.map((a) => [a.kind, a.outcome])).toEqual([
      ['capture', 'permanent'],
      ['lookup', 'not_found'],
      ['capture', 'permanent'],
    ]);
    expect(paymentRow(id)).toMatchObject({ state: 'quarantined' });
    expect((await gateway.ledger()).counts.byIdempotencyKey[id] ?? 0).toBe(0);
    expect(
      await server.app.ledger.requeuePayment({ paymentId: cardOf(await till.nextCardSale()).id, now: now() }),
    ).toEqual({
      kind: 'not_found',
    });
  });

  it('[PAY-4] a stored tender whose live attempt was declined is flagged; the payment stays declined', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale({ gatewayToken: 'pm_card_chargeDeclined', last4: '0002' });
    const card = cardOf(sale);
    const live = await server.app.inject({
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
    expect(live.json<CaptureResponse>().status).toBe('declined');
    const response = await till.push(till.pushBody([sale]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({
      status: 'flagged',
      flags: ['payment_unverified'],
    });
    expect(paymentRow(card.id)).toMatchObject({ state: 'declined', sale_id: sale.id });
  });

  it('[I7] per device and day, card tendered = captured + declined + pending + expired + written off', async () => {
    const till = await server.enroll();
    const twoDaysAgo = new Date(server.clock.now().getTime() - 48 * 3_600_000).toISOString();
    const sales = [
      await till.nextCardSale(),
      await till.nextCardSale({ gatewayToken: 'pm_card_chargeDeclined' }),
      await till.nextCardSale({ gatewayToken: 'pm_card_unknownToTheGateway' }),
      await till.nextCardSale({}, (s) => ({ ...s, createdAt: twoDaysAgo })),
      await till.nextSale(), // cash: not part of the card equation
    ];
    await till.push(till.pushBody(sales));
    await worker().runOnce(10);
    const [captured, declined, quarantined, expired] = sales.map((sale) =>
      sale.tenders[0]?.kind === 'card' ? sale.tenders[0] : undefined,
    );
    if (!captured || !declined || !quarantined || !expired) throw new Error('card sales missing');
    await server.app.ledger.writeOffPayment({
      paymentId: quarantined.id,
      by: 'Dana',
      reason: 'token revoked',
      now: now(),
    });
    const pendingSale = await till.nextCardSale();
    await gateway.control.setFault({ mode: 'down' });
    await till.push(till.pushBody([pendingSale]));
    await worker().runOnce();

    const mine = (await server.app.ledger.cardTotals(server.store.id)).filter((row) => row.deviceId === till.deviceId);
    const pending = cardOf(pendingSale).amount;
    expect(mine).toEqual([
      {
        deviceId: till.deviceId,
        day: '2026-02-28',
        cardTendered: expired.amount,
        captured: 0,
        declined: 0,
        pending: 0,
        expired: expired.amount,
        writtenOff: 0,
        unmatched: 0,
        balanced: true,
      },
      {
        deviceId: till.deviceId,
        day: '2026-03-02',
        cardTendered: captured.amount + declined.amount + quarantined.amount + pending,
        captured: captured.amount,
        declined: declined.amount,
        pending,
        expired: 0,
        writtenOff: quarantined.amount,
        unmatched: 0,
        balanced: true,
      },
    ]);
  });
});
