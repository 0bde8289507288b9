import { describe, expect, it } from 'vitest';
import { GatewayError } from '../gateway/payment-gateway.ts';
import type { PaymentRecord } from '../store/payment-store.ts';
import { changeForFailure, changeForUnexpected, DEFAULT_RETRY_POLICY, fullJitterMs } from './capture-rules.ts';
import { redactSecrets } from './redact.ts';

const now = new Date('2026-03-02T09:00:00.000Z');
const payment = { state: 'pending', attempts: 0, errorCount: 0 } as PaymentRecord;
const delayOf = (change: { nextAttemptAt?: string }) => Date.parse(change.nextAttemptAt ?? '') - now.getTime();

describe('capture rules', () => {
  it('[PAY-7] full jitter: uniform below min(cap, base·2^(n−1)); the ceiling doubles up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => fullJitterMs(n, 2000, 300_000, () => 0.999_999))).toEqual([
      1999, 3999, 7999, 15_999,
    ]);
    expect(fullJitterMs(12, 2000, 300_000, () => 0.999_999)).toBe(299_999);
    expect(fullJitterMs(1000, 2000, 300_000, () => 0.5)).toBe(150_000);
    expect(fullJitterMs(3, 2000, 300_000, () => 0)).toBe(0);
  });

  it('[PAY-7] Retry-After is a floor under the jittered delay', () => {
    const limited = GatewayError.of('rate_limited', '429', { retryAfterMs: 7000 });
    expect(delayOf(changeForFailure(payment, limited, 1, now, DEFAULT_RETRY_POLICY, () => 0.9))).toBe(7000);
    expect(delayOf(changeForFailure(payment, limited, 9, now, DEFAULT_RETRY_POLICY, () => 0.9))).toBe(270_000);
  });

  it('[PAY-8] unknown → unknown (resolve under the key); retryable keeps the state; permanent → quarantined', () => {
    const random = () => 0.5;
    expect(
      changeForFailure(payment, GatewayError.of('timeout', 't'), 1, now, DEFAULT_RETRY_POLICY, random),
    ).toMatchObject({ state: 'unknown' });
    const unknown = { ...payment, state: 'unknown' } as PaymentRecord;
    const refused = GatewayError.of('connection_refused', 'r');
    expect(changeForFailure(unknown, refused, 2, now, DEFAULT_RETRY_POLICY, random).state).toBe('unknown');
    expect(changeForFailure(payment, refused, 2, now, DEFAULT_RETRY_POLICY, random).state).toBe('pending');
    expect(
      changeForFailure(
        payment,
        GatewayError.of('invalid_request', 'No such PaymentMethod'),
        1,
        now,
        DEFAULT_RETRY_POLICY,
        random,
      ),
    ).toMatchObject({ state: 'quarantined', quarantineReason: 'invalid_request: No such PaymentMethod' });
  });

  it('[PAY-10] a rejected API key is our configuration fault: the payment stays queued, not quarantined', () => {
    const change = changeForFailure(
      payment,
      GatewayError.of('authentication', 'bad key'),
      1,
      now,
      DEFAULT_RETRY_POLICY,
      () => 0.5,
    );
    expect(change).toMatchObject({ state: 'pending', lastError: expect.stringContaining('GATEWAY_API_KEY') });
    expect(change.quarantineReason).toBeUndefined();
    expect(delayOf(change)).toBe(DEFAULT_RETRY_POLICY.capMs);
  });

  it('[PAY-10][I9] unexpected errors are counted; at the limit the payment is quarantined with the reason', () => {
    const second = changeForUnexpected(
      { ...payment, errorCount: 1 },
      new Error('boom'),
      false,
      now,
      DEFAULT_RETRY_POLICY,
      () => 0,
    );
    expect(second).toMatchObject({ state: 'pending', errorCount: 2 });
    const third = changeForUnexpected(
      { ...payment, errorCount: 2 },
      new Error('boom'),
      true,
      now,
      DEFAULT_RETRY_POLICY,
      () => 0,
    );
    expect(third).toMatchObject({
      state: 'quarantined',
      errorCount: 3,
      quarantineReason: expect.stringContaining('boom'),
    });
  });

  it('[I8] tokens, keys and card-number-shaped digits are blanked out of messages', () => {
    expect(redactSecrets("No such PaymentMethod: 'pm_card_visa'; key sk_test_abc123 card 4242 4242 4242 4242")).toBe(
      "No such PaymentMethod: 'pm_[redacted]'; key sk_[redacted] card [redacted]",
    );
    expect(redactSecrets('PaymentIntent pi_3Nabc succeeded')).toBe('PaymentIntent pi_3Nabc succeeded');
  });
});
