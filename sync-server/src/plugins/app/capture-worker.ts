import { hostname } from 'node:os';
import { uuidv7 } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CaptureWorkerConfig } from '../../config.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../payments/capture-rules.ts';
import { CaptureWorker } from '../../payments/capture-worker.ts';
import type { CaptureQueue } from '../../queue/capture-queue.ts';
import type { CaptureQueueConfig, ServiceBusQueueConfig } from '../../queue/queue-config.ts';
import type { ServiceBusQueueClient } from '../../queue/service-bus/service-bus-queue.ts';
import { SqlOutboxQueue } from '../../queue/sql-outbox-queue.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The capture worker of this process; null when no gateway is configured. Running when
     * CAPTURE_WORKER=on; tests with it off drive it with `runOnce()`. Its queue is the SQL
     * outbox or Service Bus (CAPTURE_QUEUE).
     */
    captureWorker: CaptureWorker | null;
  }
}

export interface CaptureWorkerPluginOptions {
  config: CaptureWorkerConfig;
  /** CAPTURE_QUEUE and its Service Bus settings; the SQL outbox when omitted. */
  queue?: CaptureQueueConfig;
  /** A Service Bus client to use instead of making one from `queue` (tests: a FakeServiceBus client). */
  serviceBusClient?: ServiceBusQueueClient;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  policy?: Partial<RetryPolicy>;
  idlePollMs?: number;
  leaseMs?: number;
}

/** Longest a delivered Service Bus message waits for an open breaker: its longest open period. */
const MAX_HOLD_MS = 60_000;

/**
 * Builds the capture worker on its queue, starts it when the app is ready and stops it — letting
 * in-flight payments record their outcome (and settle their messages) — before the ledger
 * closes; then closes the queue (the process's Service Bus client).
 */
async function captureWorker(fastify: FastifyInstance, options: CaptureWorkerPluginOptions): Promise<void> {
  const gateway = fastify.paymentGateway;
  if (gateway.worker === null) {
    fastify.decorate('captureWorker', null);
    return;
  }
  const { concurrency } = options.config;
  // A claim waits at most `concurrency` rate-limiter slots, then one gateway timeout (two when
  // a lookup precedes the capture); the lease covers that with room to spare.
  const leaseMs =
    options.leaseMs ?? 30_000 + 2 * gateway.timeoutMs + Math.ceil((concurrency * 1000) / gateway.ratePerSecond);
  const workerId = `${hostname()}:${process.pid}:${uuidv7().slice(-8)}`;
  const idlePollMs = options.idlePollMs ?? 500;
  const log = fastify.log.child({ component: 'capture-worker' });
  const queueConfig = options.queue ?? { kind: 'sql' };
  const queue: CaptureQueue =
    queueConfig.kind === 'servicebus'
      ? await serviceBusQueue(fastify, queueConfig, options, { workerId, leaseMs })
      : new SqlOutboxQueue({ idlePollMs, sleep: options.sleep, log });
  const worker = new CaptureWorker({
    store: fastify.ledger,
    gateway: gateway.worker,
    breaker: gateway.breaker,
    ...(gateway.workerLimiter && { limiter: gateway.workerLimiter }),
    workerId,
    concurrency,
    leaseMs,
    idlePollMs,
    timeoutMs: gateway.timeoutMs,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.policy },
    now: fastify.now,
    sleep: options.sleep,
    random: options.random,
    log,
    queue,
  });
  fastify.decorate('captureWorker', worker);
  if (options.config.enabled) {
    fastify.addHook('onReady', async () => worker.start());
    // preClose runs before the ledger's onClose: in-flight outcomes are recorded first.
    fastify.addHook('preClose', async () => worker.stop());
  }
  fastify.addHook('onClose', async () => {
    if (worker.running) await worker.stop();
    await queue.close();
  });
}

/** The Service Bus queue on the process's one client (made here unless a test passed one). */
async function serviceBusQueue(
  fastify: FastifyInstance,
  config: ServiceBusQueueConfig,
  options: CaptureWorkerPluginOptions,
  worker: { workerId: string; leaseMs: number },
): Promise<CaptureQueue> {
  const { ServiceBusCaptureQueue } = await import('../../queue/service-bus/service-bus-queue.ts');
  let client = options.serviceBusClient;
  if (client === undefined) {
    const { createServiceBusClient } = await import('../../queue/service-bus/client.ts');
    client = await createServiceBusClient(config.connection, `till-${worker.workerId}`);
  }
  return new ServiceBusCaptureQueue({
    client,
    queueName: config.queueName,
    store: fastify.ledger,
    maxDelivery: config.maxDelivery,
    // Renewed while a message waits for the breaker, then for a claim's whole life, then settles.
    lockRenewalMs: MAX_HOLD_MS + worker.leaseMs + 30_000,
    maxHoldMs: MAX_HOLD_MS,
    receiveWaitMs: 1_000,
    relay: {
      owner: `${worker.workerId}:relay`,
      leaseMs: 2 * 60_000,
      batchSize: 100,
      pollMs: 1_000,
      republishAfterMs: 30 * 60_000,
    },
    now: fastify.now,
    sleep: options.sleep,
    log: fastify.log.child({ component: 'capture-queue' }),
  });
}

export default fp(captureWorker, { name: 'capture-worker', dependencies: ['ledger', 'payment-gateway', 'clock'] });
