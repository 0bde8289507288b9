import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { GatewayConfig } from '../../config.ts';
import { type CircuitBreaker, createCircuitBreaker } from '../../gateway/circuit-breaker.ts';
import { guardedGateway } from '../../gateway/guarded-gateway.ts';
import type { PaymentGateway } from '../../gateway/payment-gateway.ts';
import { createRateLimiter, type RateLimiter } from '../../gateway/rate-limiter.ts';
import { createStripeGateway } from '../../gateway/stripe-gateway.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The payment gateway as this process uses it: breaker, live and worker paths. */
    paymentGateway: PaymentGatewayRuntime;
  }
}

export interface PaymentGatewayRuntime {
  /** False when no gateway is configured: live capture answers 503, the worker idles. */
  configured: boolean;
  /** One breaker per process, shared by live capture and the worker; /health reports it. */
  breaker: CircuitBreaker;
  /**
   * For live capture: behind the breaker and its own rate limiter, so a checkout never queues
   * behind the worker's drain. Null when not configured.
   */
  live: PaymentGateway | null;
  /** For the capture worker: behind the breaker and the worker's rate limiter. */
  worker: PaymentGateway | null;
  /** The worker's rate limiter, so the worker can stop claiming while a `Retry-After` pause lasts. */
  workerLimiter: RateLimiter | null;
  timeoutMs: number;
  ratePerSecond: number;
}

export interface PaymentGatewayOptions {
  config: GatewayConfig;
  /** A gateway to use instead of building one from the config (tests wrap the simulator). */
  gateway?: PaymentGateway;
  nowMs: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Builds the gateway from the config — the Stripe adapter, pointed at Stripe or at the gateway
 * simulator — and wraps it with the circuit breaker and rate limiters. The API key goes to the
 * adapter only; it is never logged (see the logger's redaction paths).
 */
async function paymentGateway(fastify: FastifyInstance, options: PaymentGatewayOptions): Promise<void> {
  const { config, nowMs, sleep } = options;
  const breaker = createCircuitBreaker({ now: nowMs });
  let raw: PaymentGateway | null = options.gateway ?? null;
  if (raw === null && config.url !== undefined) {
    const stripe = createStripeGateway({
      apiKey: config.apiKey,
      baseUrl: config.url,
      timeoutMs: config.timeoutMs,
      now: nowMs,
    });
    fastify.addHook('onClose', async () => stripe.close());
    raw = stripe;
  }
  if (raw === null)
    fastify.log.warn('no payment gateway configured (GATEWAY_URL): live capture answers 503, the capture worker idles');
  const liveLimiter = createRateLimiter({ now: nowMs, ratePerSecond: config.ratePerSecond });
  const workerLimiter = createRateLimiter({ now: nowMs, ratePerSecond: config.ratePerSecond });
  const guard = (limiter: RateLimiter) =>
    raw === null ? null : guardedGateway(raw, { breaker, limiter, now: nowMs, sleep });
  fastify.decorate('paymentGateway', {
    configured: raw !== null,
    breaker,
    live: guard(liveLimiter),
    worker: guard(workerLimiter),
    workerLimiter: raw === null ? null : workerLimiter,
    timeoutMs: config.timeoutMs,
    ratePerSecond: config.ratePerSecond,
  } satisfies PaymentGatewayRuntime);
}

export default fp(paymentGateway, { name: 'payment-gateway' });
