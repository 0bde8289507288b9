import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@till/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayControl, gatewayControl } from '../../../scripts/gateway-simulator/control-client.ts';
import { type GatewaySimulator, startGatewaySimulator } from '../../../scripts/gateway-simulator/simulator.ts';
import { type CaptureRequest, GatewayError } from './payment-gateway.ts';
import { createStripeGateway, type StripeGateway } from './stripe-gateway.ts';

/**
 * The production adapter, through the official Stripe SDK, against the gateway simulator
 * (in this process; `gateway-simulator.process.test.ts` runs it as its own process).
 */
let dataDir: string;
let simulator: GatewaySimulator;
let control: GatewayControl;
let gateway: StripeGateway;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'till-gateway-'));
  simulator = await startGatewaySimulator({ apiPort: 0, controlPort: 0, dataFile: join(dataDir, 'sim.sqlite') });
  control = gatewayControl(simulator.controlUrl);
  gateway = createStripeGateway({ apiKey: 'sk_test_till', baseUrl: simulator.apiUrl, timeoutMs: 400 });
});
afterAll(async () => {
  gateway.close();
  await simulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await control.setFault({ mode: 'up' });
});

function cardPayment(overrides: Partial<CaptureRequest> = {}): CaptureRequest {
  return {
    paymentId: uuidv7(),
    amount: 1250,
    currency: 'USD',
    gatewayToken: 'pm_card_visa',
    reference: 'R-0001',
    ...overrides,
  };
}

async function failureOf(call: Promise<unknown>): Promise<GatewayError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

async function succeededCharges(paymentId: string): Promise<number> {
  return (await control.ledger()).counts.succeededByTillPaymentId[paymentId] ?? 0;
}

describe('capture', () => {
  it('an approved card is captured, with the PaymentIntent id as gatewayRef and our metadata on it', async () => {
    const payment = cardPayment({ gatewayToken: 'pm_card_mastercard' });
    const outcome = await gateway.capture(payment);
    expect(outcome).toEqual({ status: 'captured', gatewayRef: expect.stringMatching(/^pi_/) });
    const [charge] = (await control.ledger()).charges.filter((row) => row.tillPaymentId === payment.paymentId);
    expect(charge).toMatchObject({
      idempotencyKey: payment.paymentId,
      amount: 1250,
      currency: 'usd',
      paymentMethod: 'pm_card_mastercard',
      status: 'succeeded',
      metadata: { till_payment_id: payment.paymentId, reference: 'R-0001' },
    });
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedLostCard', 'lost_card'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
  ])('[I5] a decline is a terminal outcome, not an error: %s → %s', async (token, declineCode) => {
    const payment = cardPayment({ gatewayToken: token });
    const outcome = await gateway.capture(payment);
    expect(outcome).toEqual({
      status: 'declined',
      declineCode,
      message: expect.any(String),
      gatewayRef: expect.stringMatching(/^pi_/),
    });
    // Declined charges are on the gateway's books too, and take no money.
    const ledger = await control.ledger();
    expect(ledger.counts.byTillPaymentId[payment.paymentId]).toBe(1);
    expect(ledger.counts.succeededByTillPaymentId[payment.paymentId]).toBeUndefined();
  });

  it('[I4] the same payment captured twice is one charge: the second answer replays the first', async () => {
    const payment = cardPayment();
    const first = await gateway.capture(payment);
    const second = await gateway.capture(payment);
    expect(second).toEqual(first);
    expect(await succeededCharges(payment.paymentId)).toBe(1);
    const record = (await control.ledger()).idempotencyKeys.find((row) => row.key === payment.paymentId);
    expect(record?.replays).toBe(1);
  });

  it('[I4] the same key with a different amount is a permanent idempotency error and charges nothing more', async () => {
    const payment = cardPayment();
    await gateway.capture(payment);
    const error = await failureOf(gateway.capture({ ...payment, amount: payment.amount + 1 }));
    expect(error).toMatchObject({ kind: 'permanent', code: 'idempotency_conflict', statusCode: 400 });
    expect(await succeededCharges(payment.paymentId)).toBe(1);
  });

  it('an unknown card token is a permanent invalid request', async () => {
    const error = await failureOf(gateway.capture(cardPayment({ gatewayToken: 'pm_card_nonexistent' })));
    expect(error).toMatchObject({ kind: 'permanent', code: 'invalid_request', statusCode: 400 });
  });

  it('a wrong API key is a permanent authentication error', async () => {
    const wrongKey = createStripeGateway({ apiKey: 'sk_live_wrong', baseUrl: simulator.apiUrl, timeoutMs: 400 });
    try {
      const error = await failureOf(wrongKey.capture(cardPayment()));
      expect(error).toMatchObject({ kind: 'permanent', code: 'authentication', statusCode: 401 });
    } finally {
      wrongKey.close();
    }
  });

  it('amounts go out in Stripe units: 1 ISK is sent as 100; a KWD amount needing rounding is refused unsent', async () => {
    const krona = cardPayment({ amount: 1500, currency: 'ISK' });
    await gateway.capture(krona);
    const [charge] = (await control.ledger()).charges.filter((row) => row.tillPaymentId === krona.paymentId);
    expect(charge).toMatchObject({ amount: 150_000, currency: 'isk' });

    const dinar = cardPayment({ amount: 1_234, currency: 'KWD' });
    const error = await failureOf(gateway.capture(dinar));
    expect(error).toMatchObject({ kind: 'permanent', code: 'unsupported_amount' });
    expect((await control.ledger()).counts.byTillPaymentId[dinar.paymentId]).toBeUndefined();
  });
});

describe('gateway faults', () => {
  it('429 with Retry-After is retryable and carries retryAfterMs', async () => {
    await control.setFault({ mode: 'rate_limited', ratePerSecond: 1, retryAfterSeconds: 7 });
    const payment = cardPayment();
    await gateway.capture(payment);
    const error = await failureOf(gateway.capture(cardPayment()));
    expect(error).toMatchObject({ kind: 'retryable', code: 'rate_limited', statusCode: 429, retryAfterMs: 7000 });
  });

  it('503 is retryable and charges nothing', async () => {
    await control.setFault({ mode: 'failing' });
    const payment = cardPayment();
    const error = await failureOf(gateway.capture(payment));
    expect(error).toMatchObject({ kind: 'retryable', code: 'gateway_unavailable', statusCode: 503 });
    expect((await control.ledger()).counts.byTillPaymentId[payment.paymentId]).toBeUndefined();
  });

  it('a refused connection (gateway down) is retryable: connection_refused', async () => {
    await control.setFault({ mode: 'down' });
    // A fresh client: a pooled keep-alive socket cut by `down` would add the SDK's hidden retry
    // (covered below) to what this test is about.
    const fresh = createStripeGateway({ apiKey: 'sk_test_till', baseUrl: simulator.apiUrl, timeoutMs: 400 });
    try {
      const error = await failureOf(fresh.capture(cardPayment()));
      expect(error).toMatchObject({ kind: 'retryable', code: 'connection_refused' });
      await control.setFault({ mode: 'up' });
      expect(await fresh.capture(cardPayment())).toMatchObject({ status: 'captured' });
    } finally {
      fresh.close();
    }
  });

  it("[I4] a connection cut after sending, then refused on the SDK's own retry, is unknown — not retryable", async () => {
    // The SDK retries once on ECONNRESET even with maxNetworkRetries 0. The refusal its retry
    // meets says nothing about the first attempt, which the server had read.
    const server = createServer((socket) => {
      socket.once('data', () => {
        server.close();
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const cut = createStripeGateway({ apiKey: 'sk_test_till', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    try {
      const error = await failureOf(cut.capture(cardPayment()));
      expect(error).toMatchObject({ kind: 'unknown', code: 'connection_dropped' });
      expect(error.cause).toMatchObject({ kind: 'retryable', code: 'connection_refused' });
    } finally {
      cut.close();
    }
  });

  it('[I4] slower than the timeout is unknown; the charge made meanwhile is what the same key returns later', async () => {
    await control.setFault({ mode: 'slow', latencyMs: 900 });
    const payment = cardPayment();
    const started = Date.now();
    const error = await failureOf(gateway.capture(payment));
    expect(error).toMatchObject({ kind: 'unknown', code: 'timeout' });
    // The adapter gave up at its timeout (400 ms), not when the gateway finally answered.
    expect(Date.now() - started).toBeLessThan(900);

    await control.setFault({ mode: 'up' });
    await expect.poll(() => succeededCharges(payment.paymentId), { timeout: 2000 }).toBe(1);
    const later = await gateway.capture(payment);
    expect(later).toMatchObject({ status: 'captured' });
    expect(await succeededCharges(payment.paymentId)).toBe(1);
  });

  it('slower than usual but within the timeout is captured', async () => {
    await control.setFault({ mode: 'slow', latencyMs: 150 });
    expect(await gateway.capture(cardPayment(), { timeoutMs: 1000 })).toMatchObject({ status: 'captured' });
  });

  it('[I4] commit-then-drop: the first call is unknown, the retry under the same key returns the original charge and the ledger holds one', async () => {
    await control.setFault({ mode: 'commit_then_drop' });
    const payment = cardPayment();
    const error = await failureOf(gateway.capture(payment));
    expect(error).toMatchObject({ kind: 'unknown', code: 'connection_dropped' });

    await control.setFault({ mode: 'up' });
    const ledgerBefore = await control.ledger();
    const [original] = ledgerBefore.charges.filter((row) => row.tillPaymentId === payment.paymentId);
    const retried = await gateway.capture(payment);
    expect(retried).toEqual({ status: 'captured', gatewayRef: original?.id });
    const ledger = await control.ledger();
    expect(ledger.counts.byIdempotencyKey[payment.paymentId]).toBe(1);
    expect(ledger.counts.succeededByTillPaymentId[payment.paymentId]).toBe(1);
  });

  it('[I4] two concurrent captures of one payment make one charge; the loser is told to retry (409), not charged', async () => {
    await control.setFault({ mode: 'slow', latencyMs: 400 });
    const payment = cardPayment();
    const results = await Promise.allSettled([
      gateway.capture(payment, { timeoutMs: 2000 }),
      gateway.capture(payment, { timeoutMs: 2000 }),
    ]);
    const captured = results.filter((result) => result.status === 'fulfilled');
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(captured).toHaveLength(1);
    expect(refused).toEqual([expect.objectContaining({ kind: 'retryable', code: 'conflict', statusCode: 409 })]);
    expect(await succeededCharges(payment.paymentId)).toBe(1);
  });
});

describe('lookup', () => {
  it('finds a captured charge by payment id without charging again', async () => {
    const payment = cardPayment();
    const captured = await gateway.capture(payment);
    expect(await gateway.lookup(payment.paymentId)).toEqual(captured);
    expect(await succeededCharges(payment.paymentId)).toBe(1);
  });

  it('finds a declined charge with its decline code', async () => {
    const payment = cardPayment({ gatewayToken: 'pm_card_chargeDeclinedInsufficientFunds' });
    const declined = await gateway.capture(payment);
    expect(await gateway.lookup(payment.paymentId)).toEqual(declined);
  });

  it('answers null for a payment id the gateway has never seen', async () => {
    expect(await gateway.lookup(uuidv7())).toBeNull();
  });

  it('a lookup that times out is retryable (reads cannot charge)', async () => {
    await control.setFault({ mode: 'slow', latencyMs: 700 });
    const error = await failureOf(gateway.lookup(uuidv7()));
    expect(error).toMatchObject({ kind: 'retryable', code: 'timeout' });
  });

  it('refuses a payment id that could break out of the search query', async () => {
    const error = await failureOf(gateway.lookup("x' OR status:'succeeded"));
    expect(error).toMatchObject({ kind: 'permanent', code: 'invalid_request' });
  });
});
