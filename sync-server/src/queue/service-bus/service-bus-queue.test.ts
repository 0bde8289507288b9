import { setTimeout as delay } from 'node:timers/promises';
import { API_PREFIX, uuidv7 } from '@till/shared';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../../test/gateway-helper.ts';
import { rows, startTestServer, type TestClock, type TestServer, type TestTill } from '../../../test/helper.ts';
import { signIn } from '../../../test/manager-helper.ts';
import type { BuildAppOptions } from '../../app.ts';
import type { PaymentGateway } from '../../gateway/payment-gateway.ts';
import { createStripeGateway } from '../../gateway/stripe-gateway.ts';
import type { CaptureWorker } from '../../payments/capture-worker.ts';
import { pushCardSalesNow } from '../capture-queue.contract.ts';
import type { CaptureMessageBody } from './capture-message.ts';
import { FakeServiceBus, type FakeServiceBusOptions } from './fake-service-bus.ts';
import { ServiceBusCaptureQueue } from './service-bus-queue.ts';

/**
 * The Service Bus adapter's own handling — lock loss, redelivery, dead-lettering, scheduled
 * retries, the outbox relay's failures, the client's life — against `FakeServiceBus`, a test
 * double of the SDK's `ServiceBusReceiver`/`ServiceBusSender` types (not of Service Bus), inside
 * the real app over a real SQLite ledger and the gateway simulator.
 */
let simulator: TestGateway;
let stripe: ReturnType<typeof createStripeGateway>;
beforeAll(async () => {
  simulator = await startTestGateway();
  stripe = createStripeGateway({ apiKey: 'sk_test_till_tests', baseUrl: simulator.apiUrl, timeoutMs: 2000 });
});
afterAll(async () => {
  stripe.close();
  await simulator.close();
});
beforeEach(async () => {
  await simulator.control.setFault({ mode: 'up' });
});

interface Setup {
  server: TestServer;
  till: TestTill;
  bus: FakeServiceBus;
  worker: CaptureWorker;
  queue: ServiceBusCaptureQueue;
  /** Gateway capture calls that reached the simulator, per payment id. */
  captureCalls: Map<string, number>;
  push(tokens: string[]): Promise<string[]>;
  payment(id: string): Record<string, unknown>;
  publication(id: string): Record<string, unknown>;
  charges(id: string): Promise<number>;
  close(): Promise<void>;
}

async function setup(
  env: Record<string, string> = {},
  options: Omit<BuildAppOptions, 'config' | 'now'> & { beforeCapture?: (paymentId: string) => Promise<void> } = {},
  busOptions: Partial<FakeServiceBusOptions> = {},
): Promise<Setup> {
  let clock: TestClock | undefined;
  const bus = new FakeServiceBus({ now: () => clock?.now() ?? new Date(0), ...busOptions });
  const captureCalls = new Map<string, number>();
  const { beforeCapture, ...appOptions } = options;
  const gateway: PaymentGateway = {
    capture: async (request, callOptions) => {
      captureCalls.set(request.paymentId, (captureCalls.get(request.paymentId) ?? 0) + 1);
      await beforeCapture?.(request.paymentId);
      return stripe.capture(request, callOptions);
    },
    lookup: (id) => stripe.lookup(id),
  };
  const server = await startTestServer(
    gatewayEnv(simulator, { CAPTURE_QUEUE: 'servicebus', SERVICE_BUS_NAMESPACE: 'till-test', ...env }),
    { gateway, serviceBusClient: bus.client(), random: () => 0.75, ...appOptions },
  );
  clock = server.clock;
  const till = await server.enroll();
  const worker = server.app.captureWorker;
  if (worker === null || !(worker.queue instanceof ServiceBusCaptureQueue)) throw new Error('no Service Bus worker');
  return {
    server,
    till,
    bus,
    worker,
    queue: worker.queue,
    captureCalls,
    push: (tokens) => pushCardSalesNow(till, tokens, server.clock.now()),
    payment: (id) => rows(server.sql, 'payments', { id })[0] ?? {},
    publication: (id) => rows(server.sql, 'capture_publications', { payment_id: id })[0] ?? {},
    charges: async (id) => (await simulator.ledger()).counts.byIdempotencyKey[id] ?? 0,
    close: () => server.close(),
  };
}

const tenantOf = (ctx: Setup, id: string) => String(ctx.payment(id).tenant_id);

describe('Service Bus capture queue (against FakeServiceBus, a test double of the SDK types)', () => {
  it('[I4] a lock lost during the gateway call: the outcome is still recorded, and the redelivery completes without a second call', async () => {
    let ctx: Setup | undefined;
    ctx = await setup({}, { beforeCapture: async (id) => ctx?.bus.loseLock(id) });
    try {
      const [id] = (await ctx.push(['pm_card_visa'])) as [string];
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(id)).toMatchObject({ state: 'captured' });
      expect(ctx.queue.stats.lockLost).toBe(1);
      expect(ctx.bus.completed).toEqual([]);
      expect(ctx.bus.queued().map((message) => message.messageId)).toEqual([id]);

      expect(await ctx.worker.runOnce()).toBe(0); // delivered again: the payment is final
      expect(ctx.bus.completed).toEqual([id]);
      expect(ctx.queue.stats).toMatchObject({ received: 2, worked: 1, skipped: 1 });
      expect(ctx.captureCalls.get(id)).toBe(1);
      expect(await ctx.charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-7] a retry is a new message (new id, never dropped as a duplicate) scheduled for next_attempt_at', async () => {
    const ctx = await setup();
    try {
      await simulator.control.setFault({ mode: 'failing' });
      const [id] = (await ctx.push(['pm_card_visa'])) as [string];
      expect(await ctx.worker.runOnce()).toBe(1);
      const due = String(ctx.payment(id).next_attempt_at);
      expect(due > ctx.server.clock.now().toISOString()).toBe(true);

      expect(await ctx.worker.runOnce()).toBe(0); // publishes the retry; not due yet
      const [first, retry] = ctx.bus.accepted;
      expect(first).toMatchObject({ messageId: id, body: { paymentId: id, seq: 1 } });
      expect(first?.scheduledEnqueueTimeUtc).toBeUndefined(); // due at once
      expect(retry).toMatchObject({ messageId: `${id}:2`, body: { paymentId: id, seq: 2 } });
      expect(retry?.scheduledEnqueueTimeUtc?.toISOString()).toBe(due);
      expect(ctx.bus.droppedDuplicates).toEqual([]);
      expect(ctx.publication(id)).toMatchObject({
        seq: 2,
        published_seq: 2,
        published_next_at: due,
        scheduled_for: due,
      });

      await simulator.control.setFault({ mode: 'up' });
      ctx.server.clock.current = new Date(Date.parse(due) - 1);
      expect(await ctx.worker.runOnce()).toBe(0); // scheduled: invisible until then
      ctx.server.clock.advance(1);
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(id)).toMatchObject({ state: 'captured', attempts: 2 });
      expect(await ctx.charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[MGR-7][PAY-7] "Retry now" on a backing-off payment publishes a message due now; the later one finds nothing to do', async () => {
    const ctx = await setup();
    try {
      await simulator.control.setFault({ mode: 'failing' });
      const [id] = (await ctx.push(['pm_card_visa'])) as [string];
      await ctx.worker.runOnce(); // fails; the retry is scheduled for later
      await ctx.worker.runOnce();
      const later = String(ctx.payment(id).next_attempt_at);
      await simulator.control.setFault({ mode: 'up' });

      const owner = await signIn(ctx.server);
      await owner.send('POST', owner.store('/payments/actions'), { action: 'retry_now', paymentIds: [id] });
      expect(await ctx.worker.runOnce()).toBe(1); // no clock advance
      expect(ctx.payment(id)).toMatchObject({ state: 'captured' });
      expect(ctx.bus.accepted.map((message) => message.messageId)).toEqual([id, `${id}:2`, `${id}:3`]);
      expect(ctx.bus.accepted[2]?.scheduledEnqueueTimeUtc).toBeUndefined();

      ctx.server.clock.current = new Date(Date.parse(later) + 1);
      expect(await ctx.worker.runOnce()).toBe(0); // the stale scheduled message: final, completed
      expect(ctx.bus.completed).toContain(`${id}:2`);
      expect(ctx.bus.queued()).toEqual([]);
      expect(ctx.captureCalls.get(id)).toBe(2);
      expect(await ctx.charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-7] when the gateway comes back, payments that backed off during the outage get messages due at once', async () => {
    const ctx = await setup();
    try {
      const ids = await ctx.push(Array(6).fill('pm_card_visa'));
      await simulator.control.setFault({ mode: 'down' });
      for (let i = 0; i < 5; i += 1) await ctx.worker.runOnce(1);
      expect(ctx.worker.holdMs()).toBeGreaterThan(0); // open: nothing is received
      expect(await ctx.worker.runOnce(10)).toBe(0);
      // Backoffs set during a long outage: four minutes away.
      const writer = new Database(ctx.server.config.database.file);
      const away = new Date(ctx.server.clock.now().getTime() + 240_000).toISOString();
      writer.prepare("update payments set next_attempt_at = ? where state = 'pending' and attempts > 0").run(away);
      writer.close();

      await simulator.control.setFault({ mode: 'up' });
      ctx.server.clock.advance(6_000);
      expect(await ctx.worker.runOnce(1)).toBe(1); // the probe: the one payment never tried
      expect(ctx.worker.halfOpen()).toBe(false);
      expect(await ctx.worker.runOnce(10)).toBe(5); // no clock advance: new messages, due now
      expect(ids.map((id) => ctx.payment(id).state)).toEqual(Array(6).fill('captured'));
      for (const id of ids) expect(await ctx.charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[I9] an unreadable message is dead-lettered with its reason and the payment it names is quarantined; the rest flow', async () => {
    const ctx = await setup();
    try {
      await simulator.control.setFault({ mode: 'failing' });
      const [named] = (await ctx.push(['pm_card_visa'])) as [string];
      await ctx.worker.runOnce(); // backing off
      await simulator.control.setFault({ mode: 'up' });
      ctx.bus.inject({ messageId: `${named}:garbled`, body: 'not a capture message' });
      const [other] = (await ctx.push(['pm_card_visa'])) as [string];

      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.bus.deadLetters).toEqual([
        expect.objectContaining({
          messageId: `${named}:garbled`,
          reason: 'UndecodableMessage',
          description: expect.stringContaining('the body is not a capture message (string)'),
        }),
      ]);
      expect(ctx.payment(named)).toMatchObject({
        state: 'quarantined',
        quarantine_reason: expect.stringContaining('Unreadable capture message'),
      });
      expect(ctx.payment(other)).toMatchObject({ state: 'captured' });
      const quarantined = await ctx.server.app.ledger.listPayments({ states: ['quarantined'] });
      expect(quarantined.map((payment) => payment.id)).toEqual([named]);
    } finally {
      await ctx.close();
    }
  });

  it('[I9] a message whose payment is not in the ledger is abandoned, then dead-lettered at CAPTURE_MAX_DELIVERY', async () => {
    const ctx = await setup({ CAPTURE_MAX_DELIVERY: '3' });
    try {
      const stray: CaptureMessageBody = { v: 1, tenantId: uuidv7(), paymentId: uuidv7(), seq: 1 };
      ctx.bus.inject({ messageId: stray.paymentId, body: stray });
      for (let delivery = 1; delivery <= 3; delivery += 1) await ctx.worker.runOnce();
      expect(ctx.queue.stats.abandoned).toBe(2);
      expect(ctx.bus.deadLetters).toEqual([
        expect.objectContaining({
          messageId: stray.paymentId,
          reason: 'PaymentNotFound',
          description: expect.stringContaining('is not in the ledger (3 deliveries)'),
          deliveryCount: 3,
        }),
      ]);
    } finally {
      await ctx.close();
    }
  });

  it('[I9] a message the store keeps failing on is abandoned, then dead-lettered with the payment quarantined', async () => {
    const ctx = await setup({ CAPTURE_MAX_DELIVERY: '2' });
    try {
      const [id] = (await ctx.push(['pm_card_visa'])) as [string];
      const claim = vi
        .spyOn(ctx.server.app.ledger, 'claimPayment')
        .mockRejectedValue(new Error('the row could not be read'));
      await ctx.worker.runOnce();
      await ctx.worker.runOnce();
      claim.mockRestore();
      expect(ctx.bus.deadLetters).toEqual([
        expect.objectContaining({
          messageId: id,
          reason: 'RepeatedFailures',
          description: '2 deliveries failed; last: the row could not be read',
        }),
      ]);
      expect(ctx.payment(id)).toMatchObject({
        state: 'quarantined',
        quarantine_reason: 'Capture message failed: 2 deliveries failed; last: the row could not be read',
      });
      expect(ctx.captureCalls.get(id)).toBeUndefined();
    } finally {
      await ctx.close();
    }
  });

  it('[I5] a failed publish stays in the outbox and goes out on a later pass: the capture is not lost', async () => {
    const ctx = await setup();
    try {
      ctx.bus.failNextSends(1);
      const [id] = (await ctx.push(['pm_card_visa'])) as [string];
      expect(await ctx.worker.runOnce()).toBe(0);
      expect(ctx.bus.accepted).toEqual([]);
      expect(ctx.publication(id)).toMatchObject({
        seq: 1,
        published_seq: null,
        failures: 1,
        lease_owner: null,
        last_error: expect.stringContaining('busy'),
      });
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.payment(id)).toMatchObject({ state: 'captured' });
      expect(ctx.bus.accepted.map((message) => message.messageId)).toEqual([id]);
    } finally {
      await ctx.close();
    }
  });

  it('[I4] a relay that sent and then failed to record sends the same message id again: duplicate detection drops the copy', async () => {
    const ctx = await setup();
    try {
      const [id] = (await ctx.push(['pm_card_visa'])) as [string];
      vi.spyOn(ctx.server.app.ledger, 'recordCapturePublished').mockRejectedValueOnce(new Error('connection reset'));
      await expect(ctx.queue.relay.runOnce()).rejects.toThrow('connection reset');
      expect(ctx.publication(id)).toMatchObject({ seq: 1, published_seq: null });
      ctx.server.clock.advance(3 * 60_000); // the relay's lease on it lapses
      expect(await ctx.queue.relay.runOnce()).toBe(1);
      expect(ctx.bus.droppedDuplicates).toEqual([id]);
      expect(ctx.bus.queued().map((message) => message.messageId)).toEqual([id]);
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(await ctx.charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[I4] a duplicated message (another id, same payment) in the same batch: one claim, one call', async () => {
    const ctx = await setup();
    try {
      const [id] = (await ctx.push(['pm_card_visa'])) as [string];
      ctx.bus.inject({ messageId: `${id}:copy`, body: { v: 1, tenantId: tenantOf(ctx, id), paymentId: id, seq: 1 } });
      expect(await ctx.worker.runOnce()).toBe(1);
      expect(ctx.bus.completed.sort()).toEqual([id, `${id}:copy`].sort());
      expect(ctx.captureCalls.get(id)).toBe(1);
      expect(await ctx.charges(id)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('[PAY-1] a live capture publishes no message: it is held while it runs, then answered at the counter', async () => {
    const paymentId = uuidv7();
    let ctx: Setup | undefined;
    let publishedMidCall: number | undefined;
    ctx = await setup(
      {},
      {
        beforeCapture: async (id) => {
          if (id === paymentId) publishedMidCall = await ctx?.queue.relay.runOnce();
        },
      },
    );
    try {
      const response = await ctx.server.app.inject({
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
        },
      });
      expect(response.statusCode).toBe(200);
      expect(publishedMidCall).toBe(0);
      expect(await ctx.queue.relay.runOnce()).toBe(0);
      expect(ctx.bus.accepted).toEqual([]);
      expect(ctx.payment(paymentId)).toMatchObject({ state: 'captured' });
    } finally {
      await ctx.close();
    }
  });

  it('[SCALE] one ServiceBusClient per process: peek-lock, lock renewal covering a claim, CAPTURE_CONCURRENCY handlers at most; closed on shutdown', async () => {
    const ctx = await setup(
      { CAPTURE_WORKER: 'on', CAPTURE_CONCURRENCY: '3', GATEWAY_RATE_PER_SECOND: '10000' },
      { sleep: realSleep, beforeCapture: () => delay(40) },
    );
    let closed = false;
    try {
      expect(ctx.bus.clients).toHaveLength(1);
      const leaseMs = 30_000 + 2 * 1000 + Math.ceil(3000 / 10_000);
      expect(ctx.bus.receiverOptions).toEqual([
        { receiveMode: 'peekLock', maxAutoLockRenewalDurationInMs: expect.any(Number) },
      ]);
      expect(ctx.bus.receiverOptions[0]?.maxAutoLockRenewalDurationInMs).toBeGreaterThan(leaseMs);
      expect(ctx.bus.subscribeOptions).toEqual([{ autoCompleteMessages: false, maxConcurrentCalls: 3 }]);

      const ids = await ctx.push(Array(9).fill('pm_card_visa'));
      ctx.worker.wake();
      for (let waited = 0; waited < 15_000 && !ids.every((id) => ctx.payment(id).state === 'captured'); waited += 25) {
        await delay(25);
      }
      expect(ids.map((id) => ctx.payment(id).state)).toEqual(Array(9).fill('captured'));
      expect(ctx.bus.maxConcurrentHandlers).toBe(3);
      for (const id of ids) expect(await ctx.charges(id)).toBe(1);

      const [client] = ctx.bus.clients;
      await ctx.close();
      closed = true;
      expect(client?.closed).toBe(true);
      expect(client?.receivers.map((receiver) => receiver.isClosed)).toEqual([true]);
      expect(client?.senders.map((sender) => sender.isClosed)).toEqual([true]);
      expect(ctx.worker.running).toBe(false);
    } finally {
      if (!closed) await ctx.close();
    }
  });
});

/** Real timers; an abort (a wake-up or stop) ends the wait early. */
async function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  }
}
