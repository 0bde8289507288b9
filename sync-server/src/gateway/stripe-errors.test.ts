import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { GatewayError } from './payment-gateway.ts';
import { toStripeAmount } from './stripe-amount.ts';
import { classifyStripeError, parseRetryAfter } from './stripe-errors.ts';

/**
 * How each thing the Stripe SDK can throw is classified, built with the SDK's own error factory
 * (`StripeError.generate`, what it runs on every error response) so the shapes are the real ones.
 */
const NOW = Date.parse('2026-03-02T09:00:00Z');

function fromResponse(statusCode: number, body: Record<string, string>, headers: Record<string, string> = {}) {
  return Stripe.errors.StripeError.generate({ statusCode, headers, requestId: 'req_test', ...body });
}

function connectionError(code: string | undefined): InstanceType<typeof Stripe.errors.StripeConnectionError> {
  const detail = Object.assign(new Error(code ?? 'closed'), code === undefined ? {} : { code });
  return new Stripe.errors.StripeConnectionError({
    message: 'An error occurred with our connection to Stripe.',
    detail,
  });
}

describe('classifyStripeError on a capture', () => {
  it.each([
    ['ETIMEDOUT', 'unknown', 'timeout'],
    ['ECONNRESET', 'unknown', 'connection_dropped'],
    ['EPIPE', 'unknown', 'connection_dropped'],
    [undefined, 'unknown', 'connection_dropped'],
    ['ECONNREFUSED', 'retryable', 'connection_refused'],
    ['ENOTFOUND', 'retryable', 'network_unreachable'],
    ['EHOSTUNREACH', 'retryable', 'network_unreachable'],
  ] as const)(
    '[I4] a socket error %s is %s (%s): only failures before sending are retryable',
    (code, kind, gatewayCode) => {
      expect(classifyStripeError(connectionError(code), 'capture', NOW)).toMatchObject({ kind, code: gatewayCode });
    },
  );

  it.each([
    [500, 'api_error', 'unknown', 'gateway_error'],
    [502, 'api_error', 'unknown', 'gateway_error'],
    [504, 'api_error', 'unknown', 'gateway_error'],
    [503, 'api_error', 'retryable', 'gateway_unavailable'],
    [409, 'invalid_request_error', 'retryable', 'conflict'],
    [400, 'invalid_request_error', 'permanent', 'invalid_request'],
    [404, 'invalid_request_error', 'permanent', 'invalid_request'],
    [402, 'invalid_request_error', 'permanent', 'invalid_request'],
    [400, 'idempotency_error', 'permanent', 'idempotency_conflict'],
    [401, 'invalid_request_error', 'permanent', 'authentication'],
    [403, 'invalid_request_error', 'permanent', 'permission'],
  ] as const)('HTTP %i %s is %s (%s)', (status, type, kind, code) => {
    const error = classifyStripeError(fromResponse(status, { type, message: 'x' }), 'capture', NOW);
    expect(error).toMatchObject({ kind, code, statusCode: status, requestId: 'req_test' });
  });

  it('[I4] a 500 is unknown: Stripe saves it under the key once execution began, so the charge may exist', () => {
    const error = classifyStripeError(fromResponse(500, { type: 'api_error', message: 'boom' }), 'capture', NOW);
    expect(error.kind).toBe('unknown');
  });

  it('429 is retryable with Retry-After in ms, as delta-seconds or as an HTTP date', () => {
    const seconds = fromResponse(
      429,
      { type: 'invalid_request_error', code: 'rate_limit', message: 'slow' },
      { 'retry-after': '3' },
    );
    expect(classifyStripeError(seconds, 'capture', NOW)).toMatchObject({
      kind: 'retryable',
      code: 'rate_limited',
      retryAfterMs: 3000,
    });
    const date = fromResponse(
      429,
      { type: 'invalid_request_error', message: 'slow' },
      { 'retry-after': new Date(NOW + 90_000).toUTCString() },
    );
    expect(classifyStripeError(date, 'capture', NOW).retryAfterMs).toBe(90_000);
    const none = fromResponse(429, { type: 'invalid_request_error', message: 'slow' });
    expect(classifyStripeError(none, 'capture', NOW)).toMatchObject({ code: 'rate_limited', retryAfterMs: undefined });
  });

  it("Stripe's 400 rate_limit (what it sends for some limits) is rate_limited too", () => {
    const error = fromResponse(400, { type: 'invalid_request_error', code: 'rate_limit', message: 'slow' });
    expect(classifyStripeError(error, 'capture', NOW)).toMatchObject({ kind: 'retryable', code: 'rate_limited' });
  });

  it('an unreadable answer, or something that is not a Stripe error, is unknown', () => {
    const badJson = new Stripe.errors.StripeAPIError({ message: 'Invalid JSON received from the Stripe API' });
    expect(classifyStripeError(badJson, 'capture', NOW)).toMatchObject({ kind: 'unknown', code: 'invalid_response' });
    expect(classifyStripeError(new TypeError('oops'), 'capture', NOW)).toMatchObject({
      kind: 'unknown',
      code: 'gateway_error',
    });
  });

  it('a GatewayError passes through unchanged', () => {
    const original = GatewayError.of('unsupported_amount', 'no');
    expect(classifyStripeError(original, 'capture', NOW)).toBe(original);
  });
});

describe('classifyStripeError on a lookup', () => {
  it('what would be unknown on a capture is retryable on a lookup: a read cannot charge', () => {
    expect(classifyStripeError(connectionError('ETIMEDOUT'), 'lookup', NOW)).toMatchObject({
      kind: 'retryable',
      code: 'timeout',
    });
    expect(classifyStripeError(fromResponse(500, { type: 'api_error', message: 'x' }), 'lookup', NOW)).toMatchObject({
      kind: 'retryable',
      code: 'gateway_error',
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 12 ', NOW)).toBe(12_000);
    expect(parseRetryAfter(['2', '5'], NOW)).toBe(2000);
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('toStripeAmount', () => {
  it('keeps ISO minor units where Stripe agrees, scales ISK, and never rounds a three-decimal amount', () => {
    expect(toStripeAmount(1250, 'USD')).toBe(1250);
    expect(toStripeAmount(500, 'JPY')).toBe(500);
    expect(toStripeAmount(1500, 'ISK')).toBe(150_000);
    expect(toStripeAmount(5_120, 'KWD')).toBe(5_120);
    expect(() => toStripeAmount(5_124, 'KWD')).toThrow(expect.objectContaining({ code: 'unsupported_amount' }));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s as an amount', (amount) => {
    expect(() => toStripeAmount(amount, 'USD')).toThrow(
      expect.objectContaining({ kind: 'permanent', code: 'invalid_request' }),
    );
  });
});
