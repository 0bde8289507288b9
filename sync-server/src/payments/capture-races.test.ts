import { API_PREFIX, type Sale } from '@till/shared';
import { describe, expect, it } from 'vitest';
import { cardOf, rows, startTestServer, type TestServer, type TestTill } from '../../test/helper.ts';
import { type CaptureOutcome, GatewayError, type PaymentGateway } from '../gateway/payment-gateway.ts';

/**
 * Races around a live attempt whose outcome is unknown — a repeated request, a server killed
 * mid-call, the capture worker's lookup and the push that brings the sale — each found by the
 * fault simulation (tests/sim). The gateway here is scripted, so each interleaving is exact.
 */

/** A gateway whose first capture (the live attempt) never answers and whose lookups the test releases. */
function scriptedGateway(lookupAnswers: Array<CaptureOutcome | null>) {
  const state = { captures: 0, lookups: 0, release: undefined as (() => void) | undefined };
  const gateway: PaymentGateway = {
    async capture(request): Promise<CaptureOutcome> {
      state.captures += 1;
      if (state.captures === 1) throw GatewayError.of('timeout', 'no answer in time');
      return { status: 'captured', gatewayRef: `pi_${request.paymentId.slice(-12)}` };
    },
    async lookup(): Promise<CaptureOutcome | null> {
      state.lookups += 1;
      await new Promise<void>((resolve) => {
        state.release = resolve;
      });
      return lookupAnswers.shift() ?? null;
    },
  };
  return { gateway, state };
}

async function liveAttempt(server: TestServer, till: TestTill, sale: Sale): Promise<number> {
  const card = cardOf(sale);
  const response = await server.app.inject({
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
  return response.statusCode;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('timed out waiting');
}

describe('live capture: a repeated request for a payment whose outcome is unknown', () => {
  it('[PAY-1][PAY-2][I4] a duplicate that fails while the first call may have charged is answered 504, never 503', async () => {
    let captures = 0;
    const gateway: PaymentGateway = {
      async capture(): Promise<CaptureOutcome> {
        captures += 1;
        // The first call drops after sending; the repeat finds the key still in use at the gateway.
        if (captures === 1) throw GatewayError.of('connection_dropped', 'socket hang up');
        throw GatewayError.of('conflict', 'Stripe conflict (idempotency_key_in_use)');
      },
      lookup: async () => null,
    };
    const server = await startTestServer({ GATEWAY_URL: 'http://127.0.0.1:9' }, { gateway });
    try {
      const till = await server.enroll();
      const sale = await till.nextCardSale({ storedReason: 'timeout' });
      expect(await liveAttempt(server, till, sale)).toBe(504);
      // A 503 here would mean "nothing was charged": the till would let the cashier take cash.
      expect(await liveAttempt(server, till, sale)).toBe(504);
      expect(rows(server.sql, 'payments', { id: cardOf(sale).id })[0]).toMatchObject({ state: 'unknown' });
    } finally {
      await server.close();
    }
  });

  it('[PAY-1][I4] a first call refused with a key-in-use conflict is unknown too (another request is executing)', async () => {
    const gateway: PaymentGateway = {
      capture: async () => {
        throw GatewayError.of('conflict', 'Stripe conflict (idempotency_key_in_use)');
      },
      lookup: async () => null,
    };
    const server = await startTestServer({ GATEWAY_URL: 'http://127.0.0.1:9' }, { gateway });
    try {
      const till = await server.enroll();
      const sale = await till.nextCardSale({ storedReason: 'timeout' });
      expect(await liveAttempt(server, till, sale)).toBe(504);
      expect(rows(server.sql, 'payments', { id: cardOf(sale).id })[0]).toMatchObject({ state: 'unknown' });
    } finally {
      await server.close();
    }
  });
});

describe('capture worker and a live attempt whose server died mid-call', () => {
  it('[PAY-5][I4][I5] a lapsed live lease with no outcome written is unknown: looked up, the charge found', async () => {
    let release: (() => void) | undefined;
    let lookups = 0;
    const gateway: PaymentGateway = {
      // The live call never returns while the test looks (the process "died" mid-call).
      capture: () =>
        new Promise<CaptureOutcome>((resolve) => {
          release = () => resolve({ status: 'captured', gatewayRef: 'pi_from_the_dead_call' });
        }),
      lookup: async () => {
        lookups += 1;
        return { status: 'captured', gatewayRef: 'pi_from_the_dead_call' };
      },
    };
    const server = await startTestServer({ GATEWAY_URL: 'http://127.0.0.1:9' }, { gateway });
    try {
      const worker = server.app.captureWorker;
      if (worker === null) throw new Error('no capture worker');
      const till = await server.enroll();
      const sale = await till.nextCardSale({ storedReason: 'timeout' });
      const id = cardOf(sale).id;
      const live = liveAttempt(server, till, sale);
      await until(() => release !== undefined);
      expect(rows(server.sql, 'payments', { id })[0]).toMatchObject({ state: 'pending', sale_received_at: null });

      server.clock.advance(60_000); // past the live lease
      expect(await worker.runOnce()).toBe(1);
      expect(lookups).toBe(1);
      expect(rows(server.sql, 'payments', { id })[0]).toMatchObject({
        state: 'captured',
        gateway_ref: 'pi_from_the_dead_call',
        sale_received_at: null,
      });
      release?.();
      await live;
    } finally {
      await server.close();
    }
  });
});

describe('capture worker races with an unknown live attempt', () => {
  it('[PAY-5][PAY-8][I5] a payment whose sale arrives while its lookup is out is captured, not parked until expiry', async () => {
    const { gateway, state } = scriptedGateway([null]);
    const server = await startTestServer({ GATEWAY_URL: 'http://127.0.0.1:9' }, { gateway });
    try {
      const worker = server.app.captureWorker;
      if (worker === null) throw new Error('no capture worker');
      const till = await server.enroll();
      const sale = await till.nextCardSale({ storedReason: 'timeout' });
      const id = cardOf(sale).id;
      const payment = () => rows(server.sql, 'payments', { id })[0] ?? {};
      expect(await liveAttempt(server, till, sale)).toBe(504);
      expect(payment()).toMatchObject({ state: 'unknown', sale_received_at: null });

      // Past the settle window: a lookup that finds nothing now means "not charged".
      server.clock.advance(10 * 60_000);
      const pass = worker.runOnce(); // claims the payment while no sale carries it
      await until(() => state.lookups === 1);
      expect((await till.push(till.pushBody([sale]))).statusCode).toBe(200);
      expect(payment()).toMatchObject({ state: 'unknown', sale_id: sale.id });
      state.release?.();
      expect(await pass).toBe(1);

      // The push confirmed it meanwhile: due now, captured on the next pass under the same key.
      expect(Date.parse(String(payment().next_attempt_at))).toBeLessThanOrEqual(server.clock.current.getTime());
      expect(await worker.runOnce()).toBe(1);
      expect(payment()).toMatchObject({ state: 'captured', sale_id: sale.id });
      expect(state.captures).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('[PAY-5][I4][I5] a lookup right after a timed-out live attempt that finds nothing leaves it unknown; the late charge is found', async () => {
    const { gateway, state } = scriptedGateway([null, { status: 'captured', gatewayRef: 'pi_late' }]);
    const server = await startTestServer({ GATEWAY_URL: 'http://127.0.0.1:9' }, { gateway });
    try {
      const worker = server.app.captureWorker;
      if (worker === null) throw new Error('no capture worker');
      const till = await server.enroll();
      const sale = await till.nextCardSale({ storedReason: 'timeout' });
      const id = cardOf(sale).id;
      const payment = () => rows(server.sql, 'payments', { id })[0] ?? {};
      expect(await liveAttempt(server, till, sale)).toBe(504); // the sale never arrives (tab closed)

      server.clock.advance(2_000);
      const first = worker.runOnce();
      await until(() => state.lookups === 1);
      state.release?.();
      expect(await first).toBe(1);
      // The gateway may still be completing the charge: not "not charged", and not parked for a day.
      expect(payment()).toMatchObject({ state: 'unknown', sale_received_at: null });
      expect(Date.parse(String(payment().next_attempt_at)) - server.clock.current.getTime()).toBeLessThanOrEqual(
        60_000,
      );

      server.clock.advance(60_000);
      const second = worker.runOnce();
      await until(() => state.lookups === 2);
      state.release?.();
      expect(await second).toBe(1);
      expect(payment()).toMatchObject({ state: 'captured', gateway_ref: 'pi_late', sale_received_at: null });
      expect(state.captures).toBe(1); // only the live attempt: the worker never charges on its own
    } finally {
      await server.close();
    }
  });
});
