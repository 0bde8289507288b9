import { setTimeout as wait } from 'node:timers/promises';
import { API_PREFIX, type CaptureRequest, type CaptureResponse, type HealthResponse, uuidv7 } from '@till/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../test/gateway-helper.ts';
import { rows, startTestServer, type TestServer, type TestTill } from '../../test/helper.ts';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
});
beforeEach(async () => {
  await gateway.control.setFault({ mode: 'up' });
});

function captureRequest(overrides: Partial<CaptureRequest> = {}): CaptureRequest {
  return {
    paymentId: uuidv7(),
    saleId: uuidv7(),
    amount: 1353,
    currency: 'USD',
    gatewayToken: 'pm_card_visa',
    brand: 'visa',
    last4: '4242',
    reference: 'DEMO-01-000001',
    ...overrides,
  };
}

const capture = (server: TestServer, till: TestTill, body: unknown) =>
  server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/payments/capture`,
    headers: { ...till.headers, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

const paymentRow = (server: TestServer, id: string) => rows(server.sql, 'payments', { id })[0];
const chargesFor = async (paymentId: string) => (await gateway.ledger()).counts.byIdempotencyKey[paymentId] ?? 0;

describe('POST /api/v1/payments/capture (gateway up)', () => {
  let server: TestServer;
  let till: TestTill;
  beforeAll(async () => {
    server = await startTestServer(gatewayEnv(gateway, { GATEWAY_TIMEOUT_MS: '300' }));
    till = await server.enroll();
  });
  afterAll(async () => {
    await server.close();
  });

  it('[PAY-1] an approved card is captured live: 200 captured with the gateway ref, one charge under the payment id', async () => {
    const request = captureRequest();
    const response = await capture(server, till, request);
    expect(response.statusCode).toBe(200);
    const body = response.json<CaptureResponse>();
    expect(body).toEqual({
      paymentId: request.paymentId,
      status: 'captured',
      gatewayRef: expect.stringMatching(/^pi_/),
      declineCode: null,
      message: 'Approved',
    });
    expect(paymentRow(server, request.paymentId)).toMatchObject({
      state: 'captured',
      entry: 'live',
      sale_id: request.saleId,
      sale_received_at: null,
      gateway_ref: body.gatewayRef,
      amount: 1353,
      device_id: till.deviceId,
      lease_owner: null,
    });
    const [charge] = (await gateway.ledger()).charges.filter((c) => c.idempotencyKey === request.paymentId);
    expect(charge).toMatchObject({
      id: body.gatewayRef,
      amount: 1353,
      status: 'succeeded',
      tillPaymentId: request.paymentId,
    });
    expect(rows(server.sql, 'payment_attempts', { payment_id: request.paymentId })).toEqual([
      expect.objectContaining({ n: 1, kind: 'capture', outcome: 'captured', code: body.gatewayRef }),
    ]);
  });

  it('[PAY-1][I5] a decline is final: 200 declined with a reason for the cashier, stored declined', async () => {
    const request = captureRequest({ gatewayToken: 'pm_card_chargeDeclinedInsufficientFunds', last4: '9995' });
    const response = await capture(server, till, request);
    expect(response.statusCode).toBe(200);
    expect(response.json<CaptureResponse>()).toEqual({
      paymentId: request.paymentId,
      status: 'declined',
      gatewayRef: expect.stringMatching(/^pi_/),
      declineCode: 'insufficient_funds',
      message: 'Declined: Your card has insufficient funds.',
    });
    expect(paymentRow(server, request.paymentId)).toMatchObject({
      state: 'declined',
      decline_code: 'insufficient_funds',
    });
  });

  it('[PAY-2][I4] a repeated capture request gets the same answer and the gateway holds ONE charge', async () => {
    const approved = captureRequest();
    const declined = captureRequest({ gatewayToken: 'pm_card_chargeDeclined', last4: '0002' });
    for (const request of [approved, declined]) {
      const first = await capture(server, till, request);
      const again = await capture(server, till, request);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await chargesFor(request.paymentId)).toBe(1);
      // The repeat was answered from the ledger: one attempt only.
      expect(rows(server.sql, 'payment_attempts', { payment_id: request.paymentId })).toHaveLength(1);
    }
  });

  it('[PAY-2] the same payment id with another amount (or card, or sale) is 409 payment_conflict and changes nothing', async () => {
    const request = captureRequest();
    await capture(server, till, request);
    const before = paymentRow(server, request.paymentId);
    for (const other of [{ amount: 1354 }, { gatewayToken: 'pm_card_mastercard' }, { saleId: uuidv7() }]) {
      const response = await capture(server, till, { ...request, ...other });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: 'payment_conflict' });
    }
    const stranger = await server.enroll('Other till');
    expect((await capture(server, stranger, request)).statusCode).toBe(409);
    expect(paymentRow(server, request.paymentId)).toEqual(before);
    expect(await chargesFor(request.paymentId)).toBe(1);
  });

  it('[PAY-1][I4] no answer in time → 504 gateway_timeout and the payment is unknown; the late charge is found, never repeated', async () => {
    await gateway.control.setFault({ mode: 'slow', latencyMs: 800 });
    const request = captureRequest();
    const started = Date.now();
    const response = await capture(server, till, request);
    expect(Date.now() - started).toBeLessThan(800);
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ error: 'gateway_timeout' });
    expect(paymentRow(server, request.paymentId)).toMatchObject({ state: 'unknown', lease_owner: null });

    // The gateway finishes the charge after we gave up. Repeating the request (same key) is
    // answered with that charge, not a second one.
    await gateway.control.setFault({ mode: 'up' });
    await wait(900);
    const again = await capture(server, till, request);
    expect(again.statusCode).toBe(200);
    expect(again.json<CaptureResponse>().status).toBe('captured');
    expect(await chargesFor(request.paymentId)).toBe(1);
    expect(paymentRow(server, request.paymentId)).toMatchObject({ state: 'captured' });
  });

  it('[PAY-1] a currency other than the store’s is 400 and stores nothing', async () => {
    const request = captureRequest({ currency: 'EUR' });
    const response = await capture(server, till, request);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/currency' }] });
    expect(paymentRow(server, request.paymentId)).toBeUndefined();
  });

  it('[I8] a card number in place of a token is refused by the schema and stored nowhere', async () => {
    const request = captureRequest({ gatewayToken: '4242424242424242' });
    const response = await capture(server, till, request);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/gatewayToken' }] });
    const cvv = await capture(server, till, { ...captureRequest(), cvv: '123' });
    expect(cvv.statusCode).toBe(400);
    expect(paymentRow(server, request.paymentId)).toBeUndefined();
  });

  it('[I10] without a device token it is 401', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/payments/capture`,
      payload: captureRequest(),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /api/v1/payments/capture (gateway down)', () => {
  it('[PAY-1] once the breaker is open: 503 gateway_unavailable at once with Retry-After, and no gateway call', async () => {
    const server = await startTestServer(gatewayEnv(gateway));
    try {
      const till = await server.enroll();
      await gateway.control.setFault({ mode: 'down' });
      for (let i = 0; i < 5; i += 1) {
        const response = await capture(server, till, captureRequest());
        expect(response.statusCode).toBe(503);
        expect(response.json()).toMatchObject({ error: 'gateway_unavailable' });
      }
      const health = (await server.app.inject({ method: 'GET', url: `${API_PREFIX}/health` })).json<HealthResponse>();
      expect(health).toMatchObject({ status: 'degraded', gateway: { breaker: 'open', retryAfterSeconds: 5 } });

      // The gateway is back, but the breaker has not probed yet: still no call goes out.
      await gateway.control.setFault({ mode: 'up' });
      const request = captureRequest();
      const started = Date.now();
      const response = await capture(server, till, request);
      expect(Date.now() - started).toBeLessThan(200);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(await chargesFor(request.paymentId)).toBe(0);
      expect(paymentRow(server, request.paymentId)).toMatchObject({ state: 'pending', sale_received_at: null });
      expect(rows(server.sql, 'payment_attempts', { payment_id: request.paymentId })).toEqual([
        expect.objectContaining({ outcome: 'circuit_open', code: 'circuit_open', retry_after_ms: 5000 }),
      ]);

      // After the open period one probe goes through; it succeeds and closes the breaker.
      server.clock.advance(5000);
      expect((await capture(server, till, request)).json<CaptureResponse>().status).toBe('captured');
      expect(await chargesFor(request.paymentId)).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('[PAY-1] with no gateway configured, capture answers 503 gateway_unavailable and the till stores the payment', async () => {
    const server = await startTestServer();
    try {
      const till = await server.enroll();
      const response = await capture(server, till, captureRequest());
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        error: 'gateway_unavailable',
        message: expect.stringContaining('configured'),
      });
      expect(server.app.captureWorker).toBeNull();
    } finally {
      await server.close();
    }
  });
});
