import { setTimeout as delay } from 'node:timers/promises';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { Meter } from '@opentelemetry/api';
import { API_PREFIX } from '@till/shared';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { TillConfig } from './config.ts';
import type { PaymentGateway } from './gateway/payment-gateway.ts';
import type { RetryPolicy } from './payments/capture-rules.ts';
import { SECRET_LOG_PATHS } from './payments/redact.ts';
import captureWorker from './plugins/app/capture-worker.ts';
import clock from './plugins/app/clock.ts';
import deviceAuth from './plugins/app/device-auth.ts';
import errorHandling from './plugins/app/error-handling.ts';
import ledger from './plugins/app/ledger.ts';
import loadShedding from './plugins/app/load-shedding.ts';
import managerAuth from './plugins/app/manager-auth.ts';
import paymentGateway from './plugins/app/payment-gateway.ts';
import securityHeaders from './plugins/app/security-headers.ts';
import telemetry from './plugins/app/telemetry.ts';
import staticPwa from './plugins/external/static-pwa.ts';
import swagger from './plugins/external/swagger.ts';
import type { ServiceBusQueueClient } from './queue/service-bus/service-bus-queue.ts';
import apiRoutes from './routes/index.ts';

export interface BuildAppOptions {
  config: TillConfig;
  /** The clock; tests pin it. Defaults to the system time. */
  now?: () => Date;
  /** Where JSON log lines go; defaults to stdout. Tests capture them to check what is logged. */
  logStream?: { write(line: string): void };
  /** Waits; tests on a pinned clock pass one that advances it. Defaults to real timers. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random numbers in [0, 1) for backoff jitter; tests pin them. Defaults to Math.random. */
  random?: () => number;
  /** A payment gateway to use instead of the one GATEWAY_URL names (tests wrap the simulator). */
  gateway?: PaymentGateway;
  /** Overrides of the capture retry policy (tests shorten or pin it). */
  retryPolicy?: Partial<RetryPolicy>;
  /** The capture worker's lease; by default derived from the gateway timeout and rate. */
  captureLeaseMs?: number;
  /**
   * With CAPTURE_QUEUE=servicebus: the Service Bus client to use instead of one made from the
   * config (tests pass a FakeServiceBus client). The app closes it when it closes.
   */
  serviceBusClient?: ServiceBusQueueClient;
  /** The OpenTelemetry meter for Till's metrics; by default the global one (tests pass an in-memory one). */
  meter?: Meter;
}

/** Real timers; an abort (a wake-up or stop) ends the wait early, never with an error. */
async function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  }
}

/** Fastify's own options: the same in tests and production, derived from the config. */
export function fastifyOptions(config: TillConfig, logStream?: BuildAppOptions['logStream']): FastifyServerOptions {
  return {
    logger: {
      level: config.logLevel,
      ...(logStream && { stream: logStream }),
      // Tokens must never reach a log: device tokens, gateway tokens and the gateway key (I8).
      // Bodies are never logged (Fastify does not by default).
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', ...SECRET_LOG_PATHS], censor: '[redacted]' },
    },
    bodyLimit: config.bodyLimitBytes,
    // Behind a TLS-terminating proxy the protocol, host and client address come from it.
    // (proxy-addr's hop count: trust the nearest `trustProxyHops` addresses.)
    ...(config.trustProxyHops > 0 && { trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops }),
  };
}

/**
 * Till's server as one plugin: external plugins (docs, static PWA), then our own decorators
 * (clock, ledger, payment gateway, capture worker, device auth, load shedding, error handling), then the routes. Wrapped with fastify-plugin
 * so its error and not-found handlers are the root ones.
 */
async function tillApp(fastify: FastifyInstance, options: BuildAppOptions): Promise<void> {
  await fastify.register(swagger);
  await fastify.register(staticPwa, { pwaDir: options.config.pwaDir });

  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  await fastify.register(clock, { now, random });
  await fastify.register(ledger, { database: options.config.database });
  await fastify.register(paymentGateway, {
    config: options.config.gateway,
    nowMs: () => now().getTime(),
    sleep: (ms: number) => sleep(ms),
    ...(options.gateway && { gateway: options.gateway }),
  });
  await fastify.register(captureWorker, {
    config: options.config.captureWorker,
    queue: options.config.captureQueue,
    ...(options.serviceBusClient && { serviceBusClient: options.serviceBusClient }),
    random,
    sleep: (ms: number, signal: AbortSignal) => sleep(ms, signal),
    ...(options.retryPolicy && { policy: options.retryPolicy }),
    ...(options.captureLeaseMs !== undefined && { leaseMs: options.captureLeaseMs }),
  });
  await fastify.register(deviceAuth);
  await fastify.register(managerAuth, { config: options.config.console });
  await fastify.register(loadShedding, { config: options.config.loadShedding, random });
  await fastify.register(telemetry, {
    config: options.config.telemetry,
    ...(options.meter && { meter: options.meter }),
  });
  await fastify.register(errorHandling);
  await fastify.register(securityHeaders);

  await fastify.register(apiRoutes, { prefix: API_PREFIX });
}

/**
 * Builds the app, ready to `listen` or `inject`. Opening the ledger (and migrating it) happens
 * here, not at import time. Close it with `app.close()`, which also closes the database.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(options.config, options.logStream)).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox validates the shared schemas as written: no type coercion and no silent removal
  // of unknown members in bodies (Ajv's Fastify defaults would do both, and would change a
  // sale's content before it is hashed).
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  await app.register(fp(tillApp, { name: 'till' }), options);
  await app.ready();
  return app;
}
