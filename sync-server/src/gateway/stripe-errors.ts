import Stripe from 'stripe';
import { GatewayError, type GatewayErrorCode } from './payment-gateway.ts';

/**
 * Turns what the Stripe SDK throws into a `GatewayError` whose kind tells the capture worker
 * what it may conclude. The rule that matters (I4): anything that may have reached Stripe and
 * been acted on is `unknown`, never `retryable` — a caller may treat "retryable" as "nothing
 * happened", and only failures that provably happened before Stripe acted get that kind.
 */

/** A capture can charge; a lookup cannot, so for a lookup "unknown" is just "try again". */
export type StripeOperation = 'capture' | 'lookup';

/** Socket error codes that can only happen before the request left this machine. */
const NOT_SENT_CODES: Readonly<Record<string, GatewayErrorCode>> = {
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'network_unreachable',
  EAI_AGAIN: 'network_unreachable',
  EHOSTUNREACH: 'network_unreachable',
  ENETUNREACH: 'network_unreachable',
};

/** The SDK's own timeout code (HttpClient.TIMEOUT_ERROR_CODE), also Node's for socket timeouts. */
const TIMEOUT_CODE = 'ETIMEDOUT';

export function classifyStripeError(error: unknown, operation: StripeOperation, now: number): GatewayError {
  const classified = classify(error, now);
  if (operation === 'lookup' && classified.kind === 'unknown') {
    return new GatewayError('retryable', classified.code, classified.message, {
      retryAfterMs: classified.retryAfterMs,
      statusCode: classified.statusCode,
      requestId: classified.requestId,
      cause: error,
    });
  }
  return classified;
}

function classify(error: unknown, now: number): GatewayError {
  if (error instanceof GatewayError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    // Not from the SDK's HTTP layer (a bug, or something we cannot place): we cannot prove the
    // request was not sent, so the outcome is unknown.
    return GatewayError.of('gateway_error', `Unexpected failure calling Stripe: ${describe(error)}`, { cause: error });
  }
  const details = { statusCode: error.statusCode, requestId: error.requestId, cause: error };

  if (error instanceof Stripe.errors.StripeConnectionError) {
    const code = socketErrorCode(error.detail);
    if (code === TIMEOUT_CODE) {
      return GatewayError.of('timeout', `Stripe did not answer in time: ${error.message}`, details);
    }
    const notSent = code === undefined ? undefined : NOT_SENT_CODES[code];
    if (notSent) return GatewayError.of(notSent, `Could not reach Stripe (${code})`, details);
    return GatewayError.of(
      'connection_dropped',
      `The connection to Stripe closed before an answer (${code ?? 'no code'}); the request may have been processed`,
      details,
    );
  }

  const status = error.statusCode;
  if (status === 429 || error instanceof Stripe.errors.StripeRateLimitError) {
    return GatewayError.of('rate_limited', `Stripe rate limit: ${error.message}`, {
      ...details,
      retryAfterMs: parseRetryAfter(error.headers?.['retry-after'], now),
    });
  }
  if (status === undefined) {
    return GatewayError.of('invalid_response', `Unreadable answer from Stripe: ${error.message}`, details);
  }
  if (status === 409) return GatewayError.of('conflict', `Stripe conflict (${error.code ?? 'lock'})`, details);
  if (error instanceof Stripe.errors.StripeIdempotencyError || error.rawType === 'idempotency_error') {
    return GatewayError.of(
      'idempotency_conflict',
      `Stripe refused the idempotency key: it was used with other parameters (${error.message})`,
      details,
    );
  }
  if (status === 401)
    return GatewayError.of('authentication', `Stripe rejected the API key: ${error.message}`, details);
  if (status === 403) return GatewayError.of('permission', `Stripe denied the API key: ${error.message}`, details);
  if (status === 503) return GatewayError.of('gateway_unavailable', `Stripe unavailable: ${error.message}`, details);
  if (status >= 500) {
    // Stripe saves a 500 under the idempotency key once execution began and replays it; the
    // charge may or may not exist. 502/504 from a proxy say nothing about the upstream either.
    return GatewayError.of('gateway_error', `Stripe server error ${status}: ${error.message}`, details);
  }
  if (status >= 400) {
    return GatewayError.of(
      'invalid_request',
      `Stripe rejected the request (${status} ${error.code ?? error.rawType ?? ''}): ${error.message}`,
      details,
    );
  }
  return GatewayError.of('invalid_response', `Unexpected status ${status} from Stripe`, details);
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function socketErrorCode(detail: unknown): string | undefined {
  if (detail && typeof detail === 'object' && 'code' in detail && typeof detail.code === 'string') return detail.code;
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
