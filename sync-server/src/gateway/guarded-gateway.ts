import type { CircuitBreaker } from './circuit-breaker.ts';
import {
  type CaptureOptions,
  type CaptureOutcome,
  type CaptureRequest,
  GatewayError,
  type GatewayErrorCode,
  type PaymentGateway,
} from './payment-gateway.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface GuardedGatewayOptions {
  breaker: CircuitBreaker;
  limiter: RateLimiter;
  now(): number;
  sleep(ms: number): Promise<void>;
  /**
   * A call that would have to wait longer than this for the limiter is refused at once as
   * `rate_limited` (with `retryAfterMs`), so a worker can release its lease instead of holding it
   * through a long `Retry-After`. Default 10 s.
   */
  maxWaitMs?: number;
  /** Pause applied on a 429 that carries no `Retry-After`. Default 1 s. */
  defaultRetryAfterMs?: number;
}

/**
 * Failures that mean "the gateway cannot serve us" — the only ones that trip the breaker. A
 * rejected API key or missing permission is one too: a configuration fault of the whole
 * service, not of any one payment, so it must stop the drain and show on /health rather than
 * quarantine every payment in turn.
 */
const OUTAGE_CODES: ReadonlySet<GatewayErrorCode> = new Set<GatewayErrorCode>([
  'authentication',
  'permission',
  'timeout',
  'connection_dropped',
  'connection_refused',
  'network_unreachable',
  'gateway_unavailable',
  'gateway_error',
  'invalid_response',
]);

/** True when `error` says the gateway is down or not answering (not a decline, 4xx or 429). */
export function isOutage(error: unknown): boolean {
  return !(error instanceof GatewayError) || OUTAGE_CODES.has(error.code);
}

/**
 * Wraps a gateway with the breaker and the rate limiter; the result is a `PaymentGateway` too.
 * Per call: refuse at once if the limiter's queue is too long (`rate_limited`) or the circuit is
 * open (`circuit_open`, retryable, `retryAfterMs` = time to the next probe) — neither touches the
 * gateway — else wait for a limiter slot and call. A 429 pauses every caller for `Retry-After`.
 * Declines, 4xx and 429 count as the gateway answering; only outages count against it.
 */
export function guardedGateway(gateway: PaymentGateway, options: GuardedGatewayOptions): PaymentGateway {
  const { breaker, limiter, now, sleep } = options;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? 1_000;

  async function guard<T>(call: () => Promise<T>): Promise<T> {
    const queued = limiter.peek();
    if (queued > maxWaitMs) {
      throw GatewayError.of('rate_limited', `Gateway calls are paused or queued for ${queued} ms`, {
        retryAfterMs: queued,
      });
    }
    const decision = breaker.tryAcquire();
    if (!decision.allowed) {
      throw GatewayError.of('circuit_open', `The gateway is failing; next probe in ${decision.retryAfterMs} ms`, {
        retryAfterMs: decision.retryAfterMs,
      });
    }
    const wait = limiter.take();
    if (wait > 0) await sleep(wait);
    try {
      const result = await call();
      breaker.recordSuccess(decision.permit);
      return result;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'rate_limited') {
        limiter.pauseUntil(now() + (error.retryAfterMs ?? defaultRetryAfterMs));
      }
      if (isOutage(error)) breaker.recordFailure(decision.permit);
      else breaker.recordSuccess(decision.permit);
      throw error;
    }
  }

  return {
    capture: (request: CaptureRequest, captureOptions?: CaptureOptions): Promise<CaptureOutcome> =>
      guard(() => gateway.capture(request, captureOptions)),
    lookup: (paymentId: string): Promise<CaptureOutcome | null> => guard(() => gateway.lookup(paymentId)),
  };
}
