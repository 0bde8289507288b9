import { hostname } from 'node:os';
import { uuidv7 } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CaptureWorkerConfig } from '../../config.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../payments/capture-rules.ts';
import { CaptureWorker } from '../../payments/capture-worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The capture worker of this process; null when no gateway is configured. Running when
     * CAPTURE_WORKER=on; tests with it off drive it with `runOnce()`.
     */
    captureWorker: CaptureWorker | null;
  }
}

export interface CaptureWorkerPluginOptions {
  config: CaptureWorkerConfig;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  policy?: Partial<RetryPolicy>;
  idlePollMs?: number;
  leaseMs?: number;
}

/**
 * Starts the capture worker when the app is ready and stops it — letting in-flight payments
 * record their outcome — before the ledger closes.
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
  const worker = new CaptureWorker({
    store: fastify.ledger,
    gateway: gateway.worker,
    breaker: gateway.breaker,
    ...(gateway.workerLimiter && { limiter: gateway.workerLimiter }),
    workerId: `${hostname()}:${process.pid}:${uuidv7().slice(-8)}`,
    concurrency,
    leaseMs,
    idlePollMs: options.idlePollMs ?? 500,
    timeoutMs: gateway.timeoutMs,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.policy },
    now: fastify.now,
    sleep: options.sleep,
    random: options.random,
    log: fastify.log.child({ component: 'capture-worker' }),
  });
  fastify.decorate('captureWorker', worker);
  if (options.config.enabled) {
    fastify.addHook('onReady', async () => worker.start());
    // preClose runs before the ledger's onClose: in-flight outcomes are recorded first.
    fastify.addHook('preClose', async () => worker.stop());
  }
}

export default fp(captureWorker, { name: 'capture-worker', dependencies: ['ledger', 'payment-gateway', 'clock'] });
