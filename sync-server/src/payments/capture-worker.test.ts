import { setTimeout as wait } from 'node:timers/promises';
import { API_PREFIX, type HealthResponse, type PaymentUpdatesResponse, type Sale, uuidv7 } from '@till/shared';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../test/gateway-helper.ts';
import { cardOf, rows, startTestServer, type TestServer, type TestTill } from '../../test/helper.ts';
import type { PaymentGateway } from '../gateway/payment-gateway.ts';
import { createStripeGateway } from '../gateway/stripe-gateway.ts';
import type { CaptureWorker } from './capture-worker.ts';

/**
 * The capture worker on a controlled clock (`runOnce` after moving the clock) against the real
 * gateway simulator. Rate-limiter waits advance the test clock instead of sleeping.
 */
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

interface Setup {
  server: TestServer;
  till: TestTill;
  worker: CaptureWorker;
  /** Pushes stored card sales (one per token) and returns them. */
  pushCardSales(tokens: string[], createdAt?: string): Promise<Sale[]>;
  payment(id: string): Record<string, unknown>;
  attempts(id: string): Record<string, unknown>[];
  health(): Promise<HealthResponse>;
  close(): Promise<void>;
}

async function setup(
  env: Record<string, string> = {},
  options: Parameters<typeof startTestServer>[1] = {},
): Promise<Setup> {
  const server = await startTestServer(gatewayEnv(gateway, env), options);
  const till = await server.enroll();
  const worker = server.app.captureWorker;
  if (worker === null) throw new Error('no capture worker');
  return {
    server,
    till,
    worker,
    async pushCardSales(tokens, createdAt) {
      const sales: Sale[] = [];
      for (const token of tokens) {
        sales.push(
          await till.nextCardSale({ gatewayToken: token }, (s) => (createdAt === undefined ? s : { ...s, createdAt })),
        );
      }
      const response = await till.push(till.pushBody(sales));
      if (response.statusCode !== 200) throw new Error(`push failed: ${response.body}`);
      return sales;
    },
    payment: (id) => rows(server.sql, 'payments', { id })[0] ?? {},
    attempts: (id) =>
      server.sql.prepare('select * from payment_attempts where payment_id = ? order by n').all(id) as Record<
        string,
        unknown
      >[],
    health: async () =>
      (await server.app.inject({ method: 'GET', url: `${API_PREFIX}/health` })).json<HealthResponse>(),
    close: () => server.close(),
  };
}

const charges = async (paymentId: string) => (await gateway.ledger()).counts.byIdempotencyKey[paymentId] ?? 0;
const msBetween = (from: unknown, to: unknown) => Date.parse(String(to)) - Date.parse(String(from));

describe('capture worker', () => {
  it('[PAY-7] retryable failures back off exponentially with full jitter (base·2^(n−1), random share)', async () => {
    const draws = [0.5, 0.75, 0.25, 0.999];
    const ctx = await setup({}, { random: () => draws.shift() ?? 0.5 });
    try {
      const [sale] = await ctx.pushCardSales(['pm_card_visa']);
      const id = cardOf(sale as Sale).id;
      await gateway.control.setFault({ mode: 'failing' });
      const delays: number[] = [];
      for (let n = 1; n <= 4; n += 1) {
        const due = String(ctx.payment(id).next_attempt_at);
        ctx.server.clock.current = new Date(Math.max(ctx.server.clock.current.getTime(), Date.parse(due)));
        expect(await ctx.worker.runOnce()).toBe(1);
        const last = ctx.attempts(id).at(-1);
        expect(last).toMatchObject({ n, kind: 'capture', outcome: 'retryable', code: 'gateway_unavailable' });
        delays.push(msBetween(last?.finished_at, ctx.payment(id).next_attempt_at));
      }
      // Ceilings 2 s, 4 s, 8 s, 16 s; the draws pick 50 %, 75 %, 25 %, 99.9 % of them.
      expect(delays).toEqual([1000, 3000, 2000, 15984]);
      expect(ctx.payment(id)).toMatchObject({
        state: 'pending',
        attempts: 4,
        last_error: expect.stringContaining('gateway_unavailable'),
      });
      expect(await charges(id)).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-7] a 429 Retry-After is honoured: the payment is not tried again before it', async () => {
    const ctx = await setup();
    try {
      await gateway.control.setFault({ mode: 'up', ratePerSecond: 0.001, burst: 1, retryAfterSeconds: 7 });
      const sales = await ctx.pushCardSales(['pm_card_visa', 'pm_card_visa']);
      const [first, second] = sales.map((sale) => cardOf(sale).id);
      for (let i = 0; i < 2; i += 1) await ctx.worker.runOnce(1);
      expect(ctx.payment(first as string)).toMatchObject({ state: 'captured' });
      const limited = ctx.attempts(second as string);
      expect(limited).toEqual([
        expect.objectContaining({ outcome: 'retryable', code: 'rate_limited', retry_after_ms: 7000 }),
      ]);
      expect(msBetween(limited[0]?.finished_at, ctx.payment(second as string).next_attempt_at)).toBe(7000);

      await gateway.control.setFault({ mode: 'up' });
      ctx.server.clock.advance(6000);
      expect(await ctx.worker.runOnce()).toBe(0);
      ctx.server.clock.advance(1500);
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(second as string)).toMatchObject({ state: 'captured' });
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-7] the breaker opens on a dead gateway, stops calling it, probes after the open period, and closes', async () => {
    const ctx = await setup();
    try {
      const ids = (await ctx.pushCardSales(Array(7).fill('pm_card_visa'))).map((sale) => cardOf(sale).id);
      await gateway.control.setFault({ mode: 'down' });
      const processed: number[] = [];
      for (let i = 0; i < 7; i += 1) processed.push(await ctx.worker.runOnce(1));
      // After 5 failures in a row the breaker is open: the worker stops claiming, so the last two
      // payments are not even tried.
      expect(processed).toEqual([1, 1, 1, 1, 1, 0, 0]);
      const outcomes = ids.map((id) => ctx.attempts(id)[0]?.outcome);
      expect(outcomes.filter((o) => o === 'retryable')).toHaveLength(5);
      expect(outcomes.filter((o) => o === undefined)).toHaveLength(2);
      expect(await ctx.health()).toMatchObject({
        status: 'degraded',
        checks: { database: 'ok', gateway: 'failing' },
        gateway: { breaker: 'open', backlog: 7 },
      });

      await gateway.control.setFault({ mode: 'up' });
      ctx.server.clock.advance(1000);
      // Open: the worker claims nothing at all, due or not.
      expect(await ctx.worker.runOnce()).toBe(0);
      expect(ids.map((id) => ctx.attempts(id).length).sort()).toEqual([0, 0, 1, 1, 1, 1, 1]);
      ctx.server.clock.advance(5000);
      expect((await ctx.health()).gateway?.breaker).toBe('half_open');
      expect(await ctx.worker.runOnce(1)).toBe(1); // the probe
      expect((await ctx.health()).gateway?.breaker).toBe('closed');
      while ((await ctx.worker.runOnce(10)) > 0) ctx.server.clock.advance(1000);
      expect(ids.map((id) => ctx.payment(id).state)).toEqual(Array(7).fill('captured'));
      expect(await ctx.health()).toMatchObject({ status: 'ok', gateway: { breaker: 'closed', backlog: 0 } });
      for (const id of ids) expect(await charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-7] when the gateway comes back, payments that backed off during the outage are due at once', async () => {
    const ctx = await setup();
    try {
      const ids = (await ctx.pushCardSales(Array(6).fill('pm_card_visa'))).map((sale) => cardOf(sale).id);
      await gateway.control.setFault({ mode: 'down' });
      for (let i = 0; i < 5; i += 1) await ctx.worker.runOnce(1);
      expect((await ctx.health()).gateway?.breaker).toBe('open');
      // Backoffs set during a long outage: one payment due soon, the rest minutes away.
      const now = ctx.server.clock.current.getTime();
      const writer = new Database(ctx.server.config.database.file);
      const setDue = writer.prepare('update payments set next_attempt_at = ? where id = ?');
      ids.forEach((id, index) => {
        setDue.run(new Date(now + (index === 0 ? 6_000 : 240_000)).toISOString(), id);
      });
      writer.close();

      await gateway.control.setFault({ mode: 'up' });
      ctx.server.clock.advance(6_000);
      expect(await ctx.worker.runOnce(1)).toBe(1); // the probe succeeds and closes the breaker
      expect((await ctx.health()).gateway?.breaker).toBe('closed');
      // No clock advance: the rest drain now, not four minutes later.
      expect(await ctx.worker.runOnce(10)).toBe(5);
      expect(ids.map((id) => ctx.payment(id).state)).toEqual(Array(6).fill('captured'));
      for (const id of ids) expect(await charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-6][I5] a decline after forwarding is final: declined once, never retried, sent to the till', async () => {
    const ctx = await setup();
    try {
      const [sale] = await ctx.pushCardSales(['pm_card_chargeDeclinedLostCard']);
      const id = cardOf(sale as Sale).id;
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(id)).toMatchObject({ state: 'declined', decline_code: 'lost_card', attempts: 1 });
      ctx.server.clock.advance(3_600_000);
      expect(await ctx.worker.runOnce()).toBe(0);
      const updates = await ctx.server.app.inject({
        method: 'GET',
        url: `${API_PREFIX}/payments/updates`,
        headers: ctx.till.headers,
      });
      expect(updates.json<PaymentUpdatesResponse>().payments).toEqual([
        expect.objectContaining({ paymentId: id, state: 'declined', declineCode: 'lost_card', saleId: sale?.id }),
      ]);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-8][I4] an unknown outcome (charge committed, answer dropped) is resolved by lookup: one charge', async () => {
    const ctx = await setup();
    try {
      const [sale] = await ctx.pushCardSales(['pm_card_visa']);
      const id = cardOf(sale as Sale).id;
      await gateway.control.setFault({ mode: 'commit_then_drop' });
      await ctx.worker.runOnce();
      expect(ctx.payment(id)).toMatchObject({ state: 'unknown' });
      expect(await charges(id)).toBe(1);

      await gateway.control.setFault({ mode: 'up' });
      ctx.server.clock.advance(60_000);
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(id)).toMatchObject({ state: 'captured', gateway_ref: expect.stringMatching(/^pi_/) });
      expect(ctx.attempts(id).map((a) => [a.kind, a.outcome, a.code])).toEqual([
        ['capture', 'unknown', 'connection_dropped'],
        ['lookup', 'captured', ctx.payment(id).gateway_ref],
      ]);
      expect(await charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-9][I5] a stored payment past its expiry is not charged: expired, surfaced to managers and the till', async () => {
    const ctx = await setup();
    try {
      const twoDaysAgo = new Date(ctx.server.clock.now().getTime() - 48 * 3_600_000).toISOString();
      const [sale] = await ctx.pushCardSales(['pm_card_visa'], twoDaysAgo);
      const id = cardOf(sale as Sale).id;
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(id)).toMatchObject({ state: 'expired', message: expect.stringContaining('not charged') });
      expect(ctx.attempts(id).map((a) => [a.kind, a.outcome])).toEqual([
        ['lookup', 'not_found'],
        ['capture', 'expired'],
      ]);
      expect(await charges(id)).toBe(0);
      const expired = await ctx.server.app.ledger.listPayments({ states: ['expired'] });
      expect(expired.map((p) => p.id)).toContain(id);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-5] a live attempt whose sale never arrives is never charged by the worker; at expiry it is checked and expired', async () => {
    const ctx = await setup();
    try {
      await gateway.control.setFault({ mode: 'down' });
      const paymentId = uuidv7();
      const attempt = await liveCapture(ctx, paymentId);
      expect(attempt.statusCode).toBe(503);
      await gateway.control.setFault({ mode: 'up' });
      ctx.server.clock.advance(60 * 60_000);
      expect(await ctx.worker.runOnce()).toBe(0);
      ctx.server.clock.advance(24 * 60 * 60_000);
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(paymentId)).toMatchObject({ state: 'expired', sale_received_at: null });
      expect(await charges(paymentId)).toBe(0); // its one live attempt met a down gateway
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-5][I4] a timed-out live attempt, then the stored sale: resolved under the same key — one charge', async () => {
    const ctx = await setup({ GATEWAY_TIMEOUT_MS: '300' });
    try {
      const sale = await ctx.till.nextCardSale({ storedReason: 'timeout' });
      const card = cardOf(sale);
      await gateway.control.setFault({ mode: 'slow', latencyMs: 600 });
      const attempt = await liveCapture(ctx, card.id, {
        saleId: sale.id,
        amount: card.amount,
        reference: sale.receiptNo,
      });
      expect(attempt.statusCode).toBe(504);
      expect(ctx.payment(card.id)).toMatchObject({ state: 'unknown', sale_received_at: null });
      await gateway.control.setFault({ mode: 'up' });
      await wait(500); // the gateway completes the charge nobody heard about

      await ctx.till.push(ctx.till.pushBody([sale]));
      expect(ctx.payment(card.id)).toMatchObject({ state: 'unknown', entry: 'stored', sale_id: sale.id });
      ctx.server.clock.advance(60_000);
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(card.id)).toMatchObject({ state: 'captured' });
      expect(await charges(card.id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-5] a timed-out live attempt that charged, whose sale never comes, is found and shown as captured without a sale', async () => {
    const ctx = await setup({ GATEWAY_TIMEOUT_MS: '300' });
    try {
      await gateway.control.setFault({ mode: 'slow', latencyMs: 600 });
      const paymentId = uuidv7();
      expect((await liveCapture(ctx, paymentId)).statusCode).toBe(504);
      await gateway.control.setFault({ mode: 'up' });
      await wait(500);
      ctx.server.clock.advance(60_000);
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(paymentId)).toMatchObject({ state: 'captured', sale_received_at: null });
      const captured = await ctx.server.app.ledger.listPayments({ states: ['captured'] });
      expect(captured.find((p) => p.id === paymentId)).toMatchObject({ saleReceivedAt: null });
      expect(await charges(paymentId)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-10][I9][I8] poison records are quarantined with their reason while the rest drain; no token reaches the log', async () => {
    let poisonId = '';
    const log: string[] = [];
    const stripe = createStripeGateway({ apiKey: 'sk_test_till_tests', baseUrl: gateway.apiUrl, timeoutMs: 1000 });
    const flaky: PaymentGateway = {
      capture: (request, options) => {
        if (request.paymentId === poisonId) throw new TypeError('cannot read properties of undefined (reading amount)');
        return stripe.capture(request, options);
      },
      lookup: (id) => stripe.lookup(id),
    };
    const ctx = await setup({ LOG_LEVEL: 'info' }, { gateway: flaky, logStream: { write: (line) => log.push(line) } });
    try {
      const sales = await ctx.pushCardSales([
        'pm_card_visa',
        'pm_card_thisTokenIsUnknownToTheGateway',
        'pm_card_visa',
        'pm_card_mastercard',
        'pm_card_visa',
      ]);
      const ids = sales.map((sale) => cardOf(sale).id);
      poisonId = ids[2] as string;
      const unknownToken = ids[1] as string;

      await ctx.worker.runOnce(10);
      expect(ids.map((id) => ctx.payment(id).state)).toEqual([
        'captured',
        'quarantined',
        'unknown',
        'captured',
        'captured',
      ]);
      expect(ctx.payment(unknownToken)).toMatchObject({
        quarantine_reason: expect.stringContaining('invalid_request'),
        message: expect.stringContaining('Set aside for a manager'),
      });
      for (let run = 0; run < 5; run += 1) {
        ctx.server.clock.advance(10 * 60_000);
        await ctx.worker.runOnce(10);
      }
      expect(ctx.payment(poisonId)).toMatchObject({
        state: 'quarantined',
        error_count: 3,
        quarantine_reason: expect.stringContaining('3 unexpected errors'),
      });
      expect(await charges(poisonId)).toBe(0);
      expect(ctx.worker.stats.errors).toBe(0); // each failure was recorded on its payment, not lost
      const text = log.join('');
      expect(text).toContain('payment state changed');
      expect(text).not.toContain('thisTokenIsUnknownToTheGateway');
      expect(text).not.toContain('sk_test_till_tests');
    } finally {
      stripe.close();
      await ctx.close();
    }
  });
});

function liveCapture(ctx: Setup, paymentId: string, overrides: Record<string, unknown> = {}) {
  return ctx.server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/payments/capture`,
    headers: ctx.till.headers,
    payload: {
      paymentId,
      saleId: uuidv7(),
      amount: 1353,
      currency: 'USD',
      gatewayToken: 'pm_card_visa',
      brand: 'visa',
      last4: '4242',
      reference: 'DEMO-01-000009',
      ...overrides,
    },
  });
}
