import { setTimeout as wait } from 'node:timers/promises';
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../test/gateway-helper.ts';
import { rows, startTestServer, type TestClock, type TestServer } from '../../test/helper.ts';
import type { BuildAppOptions } from '../app.ts';
import type { PaymentGateway } from '../gateway/payment-gateway.ts';
import type { CaptureWorker } from '../payments/capture-worker.ts';
import { captureQueueContract, pushCardSalesNow, type QueueHarness, type QueueLeg } from './capture-queue.contract.ts';
import type { CaptureMessageBody } from './service-bus/capture-message.ts';
import { FakeServiceBus } from './service-bus/fake-service-bus.ts';

/**
 * The capture queue contract against every implementation reachable from here:
 * - the SQL outbox, always;
 * - the Service Bus adapter over `FakeServiceBus` — a test double of the SDK's receiver and
 *   sender types, NOT of Service Bus — always: it runs the adapter's own logic (relay, claims,
 *   settlement, dead-lettering) end to end, but proves nothing about the service;
 * - Azure Service Bus itself when TILL_TEST_SERVICE_BUS holds a namespace connection string
 *   (queue TILL_TEST_SERVICE_BUS_QUEUE, default `captures-test`, duplicate detection on). Without
 *   it that leg is reported SKIPPED with the reason, never passed.
 */
let simulator: TestGateway;
beforeAll(async () => {
  simulator = await startTestGateway();
});
afterAll(async () => {
  await simulator.close();
});

/** Short backoffs, and a fixed draw (75 % of the ceiling) so every backoff is a real wait. */
const RETRY_POLICY = { baseMs: 1_000, capMs: 4_000, unknownBaseMs: 500, unknownCapMs: 2_000 };

async function startApp(
  env: Record<string, string>,
  gateway: PaymentGateway,
  options: Omit<BuildAppOptions, 'config' | 'now'> = {},
): Promise<{ server: TestServer; worker: CaptureWorker; pushCardSales: QueueHarness['pushCardSales'] }> {
  const server = await startTestServer(gatewayEnv(simulator, env), {
    gateway,
    retryPolicy: RETRY_POLICY,
    random: () => 0.75,
    ...options,
  });
  const till = await server.enroll();
  const worker = server.app.captureWorker;
  if (worker === null) throw new Error('no capture worker');
  return { server, worker, pushCardSales: (tokens) => pushCardSalesNow(till, tokens, server.clock.now()) };
}

const tenantOf = (server: TestServer, paymentId: string) =>
  String(rows<{ tenant_id: string }>(server.sql, 'payments', { id: paymentId })[0]?.tenant_id);
const publicationOf = (server: TestServer, paymentId: string) =>
  Number(rows<{ seq: number }>(server.sql, 'capture_publications', { payment_id: paymentId })[0]?.seq ?? 1);

const sqlOutbox: QueueLeg = {
  stepMs: 250,
  maxSteps: 100,
  async start(gateway) {
    const { server, worker, pushCardSales } = await startApp({}, gateway);
    let competing = 0;
    return {
      server,
      worker,
      pushCardSales,
      async pass() {
        // The SQL outbox's duplicate delivery: another worker claiming at the same moment.
        const passes = [worker.runOnce(10)];
        for (; competing > 0; competing -= 1) passes.push(worker.runOnce(10));
        await Promise.all(passes);
      },
      advance: async (ms) => server.clock.advance(ms),
      deliverAgain: async () => {
        competing += 1;
      },
      close: () => server.close(),
    };
  },
};

const SERVICE_BUS_ENV = { CAPTURE_QUEUE: 'servicebus', SERVICE_BUS_NAMESPACE: 'till-test', CAPTURE_MAX_DELIVERY: '3' };

const serviceBusOverFake: QueueLeg = {
  stepMs: 250,
  maxSteps: 100,
  async start(gateway) {
    let clock: TestClock | undefined;
    const bus = new FakeServiceBus({ now: () => clock?.now() ?? new Date(0) });
    const { server, worker, pushCardSales } = await startApp(SERVICE_BUS_ENV, gateway, {
      serviceBusClient: bus.client(),
    });
    clock = server.clock;
    let copies = 0;
    return {
      server,
      worker,
      pushCardSales,
      pass: async () => void (await worker.runOnce(10)),
      advance: async (ms) => server.clock.advance(ms),
      async deliverAgain(paymentId) {
        copies += 1;
        const body: CaptureMessageBody = {
          v: 1,
          tenantId: tenantOf(server, paymentId),
          paymentId,
          seq: publicationOf(server, paymentId),
        };
        bus.inject({ messageId: `${paymentId}:copy-${copies}`, body, contentType: 'application/json' });
      },
      deadLetters: async (paymentIds) =>
        bus.deadLetters
          .map((letter) => ({ ...letter, paymentId: (letter.body as Partial<CaptureMessageBody>).paymentId ?? '' }))
          .filter((letter) => paymentIds.includes(letter.paymentId))
          .map(({ paymentId, reason, description }) => ({ paymentId, reason, description })),
      close: () => server.close(),
    };
  },
};

const liveConnection = process.env.TILL_TEST_SERVICE_BUS?.trim() || undefined;
const liveQueue = process.env.TILL_TEST_SERVICE_BUS_QUEUE?.trim() || 'captures-test';

const serviceBusLive: QueueLeg = {
  stepMs: 1_000,
  maxSteps: 60,
  async start(gateway) {
    const connection = liveConnection ?? '';
    const admin = new ServiceBusClient(connection);
    await purge(admin, liveQueue);
    const { server, worker, pushCardSales } = await startApp(
      {
        ...SERVICE_BUS_ENV,
        SERVICE_BUS_NAMESPACE: '',
        SERVICE_BUS_CONNECTION_STRING: connection,
        SERVICE_BUS_QUEUE: liveQueue,
      },
      gateway,
    );
    // Service Bus schedules by real time: the app's clock follows it (never backwards).
    const sync = () => {
      if (Date.now() > server.clock.current.getTime()) server.clock.current = new Date();
    };
    sync();
    const sender = admin.createSender(liveQueue);
    let copies = 0;
    return {
      server,
      worker,
      pushCardSales,
      async pass() {
        sync();
        await worker.runOnce(10);
      },
      async advance(ms) {
        await wait(ms);
        sync();
      },
      async deliverAgain(paymentId) {
        copies += 1;
        const body: CaptureMessageBody = {
          v: 1,
          tenantId: tenantOf(server, paymentId),
          paymentId,
          seq: publicationOf(server, paymentId),
        };
        await sender.sendMessages({ messageId: `${paymentId}:copy-${copies}`, body, contentType: 'application/json' });
      },
      async deadLetters(paymentIds) {
        const dlq = admin.createReceiver(liveQueue, { subQueueType: 'deadLetter' });
        try {
          const letters = await dlq.peekMessages(250);
          return letters
            .map((letter) => ({
              paymentId: String((letter.body as Partial<CaptureMessageBody> | undefined)?.paymentId ?? ''),
              reason: letter.deadLetterReason ?? '',
              description: letter.deadLetterErrorDescription ?? '',
            }))
            .filter((letter) => paymentIds.includes(letter.paymentId));
        } finally {
          await dlq.close();
        }
      },
      async close() {
        await server.close();
        await admin.close();
      },
    };
  },
};

/** Empties the queue and its dead-letter queue of earlier runs' messages. */
async function purge(client: ServiceBusClient, queue: string): Promise<void> {
  for (const subQueueType of [undefined, 'deadLetter'] as const) {
    const receiver = client.createReceiver(queue, {
      receiveMode: 'receiveAndDelete',
      ...(subQueueType && { subQueueType }),
    });
    while ((await receiver.receiveMessages(100, { maxWaitTimeInMs: 1_000 })).length > 0) {}
    await receiver.close();
  }
}

describe('[SQL outbox] capture queue contract', () => {
  captureQueueContract(sqlOutbox, () => simulator);
});

describe('[Service Bus adapter over FakeServiceBus, a test double of the SDK types, not Service Bus] capture queue contract', () => {
  captureQueueContract(serviceBusOverFake, () => simulator);
});

const liveSkipReason = 'skipped: TILL_TEST_SERVICE_BUS not set (a namespace connection string)';
if (liveConnection === undefined) {
  console.warn(
    `[Service Bus] live capture queue contract SKIPPED — ${liveSkipReason}. Set it (and TILL_TEST_SERVICE_BUS_QUEUE, default captures-test, a queue with duplicate detection on) to run it against Azure Service Bus.`,
  );
}
describe.skipIf(liveConnection === undefined)(
  `[Service Bus] live namespace, queue ${liveQueue}: capture queue contract${liveConnection === undefined ? ` (${liveSkipReason})` : ''}`,
  () => {
    captureQueueContract(serviceBusLive, () => simulator);
  },
);
