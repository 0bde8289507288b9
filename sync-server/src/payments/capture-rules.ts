import type { CaptureOutcome, GatewayError } from '../gateway/payment-gateway.ts';
import type { AttemptRecord, PaymentChange, PaymentRecord } from '../store/payment-store.ts';
import { redactSecrets } from './redact.ts';

/**
 * What each gateway answer does to a payment (SPEC PAY-7…PAY-10). Pure functions of the payment,
 * the answer, the time and a random number: the worker and the live capture route share them,
 * and tests drive them with a fixed clock and random source.
 */

export interface RetryPolicy {
  /** Backoff after a retryable failure: full jitter over base·2^(n−1), capped. */
  baseMs: number;
  capMs: number;
  /** An unknown outcome is looked up again soon: a smaller base and cap. */
  unknownBaseMs: number;
  unknownCapMs: number;
  /**
   * How long after a live attempt a lookup that finds no charge is not yet proof that there is
   * none: the gateway may still be completing a request we timed out on, and its search may lag
   * (Stripe: usually under a minute). Until then an unconfirmed `unknown` payment stays unknown.
   */
  unknownSettleMs: number;
  /** Unexpected exceptions on one payment before it is quarantined (I9). */
  maxErrors: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 2_000,
  capMs: 5 * 60_000,
  unknownBaseMs: 1_000,
  unknownCapMs: 60_000,
  unknownSettleMs: 5 * 60_000,
  maxErrors: 3,
};

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a uniformly random
 * delay in [0, min(cap, base·2^(n−1))). Spreads retries of many payments that failed together,
 * so a recovering gateway is not hit by one synchronized wave.
 */
export function fullJitterMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 40) - 1));
  return Math.floor(random() * ceiling);
}

/** The change a final gateway answer makes. Final: captured and declined are terminal (I5). */
export function changeForOutcome(outcome: CaptureOutcome, now: Date): PaymentChange {
  if (outcome.status === 'captured') {
    return {
      state: 'captured',
      gatewayRef: outcome.gatewayRef,
      declineCode: null,
      message: 'Captured',
      capturedAt: now.toISOString(),
      lastError: null,
    };
  }
  return {
    state: 'declined',
    gatewayRef: outcome.gatewayRef,
    declineCode: outcome.declineCode,
    message: `Declined: ${outcome.message}`,
  };
}

/**
 * The change a failed call makes. `attempt` is the payment's gateway call count including this
 * one (it sets the backoff). `Retry-After` (from the gateway or the breaker) is a floor on the
 * delay, never shortened by jitter.
 */
export function changeForFailure(
  payment: PaymentRecord,
  error: GatewayError,
  attempt: number,
  now: Date,
  policy: RetryPolicy,
  random: () => number,
): PaymentChange {
  const reason = redactSecrets(`${error.code}: ${error.message}`).slice(0, 400);
  const after = (jitterMs: number) =>
    new Date(now.getTime() + Math.max(error.retryAfterMs ?? 0, jitterMs)).toISOString();
  switch (error.kind) {
    case 'unknown':
      // May have charged: from now on the payment is resolved under its key, lookup first.
      return {
        state: 'unknown',
        nextAttemptAt: after(fullJitterMs(attempt, policy.unknownBaseMs, policy.unknownCapMs, random)),
        lastError: reason,
        message: 'Outcome not known yet; being checked with the gateway under the same payment id',
      };
    case 'retryable':
      // Nothing happened at the gateway; the state stays (pending, or unknown still to resolve).
      return {
        state: payment.state === 'unknown' ? 'unknown' : 'pending',
        nextAttemptAt: after(
          error.code === 'circuit_open' ? 0 : fullJitterMs(attempt, policy.baseMs, policy.capMs, random),
        ),
        lastError: reason,
      };
    case 'permanent':
      if (error.code === 'authentication' || error.code === 'permission') {
        // Our credentials, not this payment: keep it queued; the breaker (which counts this as
        // an outage) holds the drain and /health shows the gateway failing until it is fixed.
        return {
          state: payment.state === 'unknown' ? 'unknown' : 'pending',
          nextAttemptAt: after(policy.capMs),
          lastError: `${reason} — check GATEWAY_API_KEY`.slice(0, 400),
        };
      }
      // A request that will fail the same way every time: set it aside, never block the rest (I9).
      return {
        state: 'quarantined',
        quarantineReason: reason,
        lastError: reason,
        message: redactSecrets(`Set aside for a manager: ${error.message}`).slice(0, 400),
      };
  }
}

/**
 * Something that is not a gateway answer went wrong on this payment (a bug, a corrupt row, a
 * store error). Counted; at `maxErrors` the payment is quarantined with the reason so it cannot
 * block or crash the queue (I9). Until then it is retried after a backoff — as `unknown` when a
 * capture call was under way (`mayHaveCharged`): its outcome is not known.
 */
export function changeForUnexpected(
  payment: PaymentRecord,
  error: unknown,
  mayHaveCharged: boolean,
  now: Date,
  policy: RetryPolicy,
  random: () => number,
): PaymentChange {
  const errorCount = payment.errorCount + 1;
  const reason = redactSecrets(`unexpected error: ${error instanceof Error ? error.message : String(error)}`).slice(
    0,
    400,
  );
  if (errorCount >= policy.maxErrors) {
    return {
      state: 'quarantined',
      errorCount,
      lastError: reason,
      quarantineReason: `${errorCount} unexpected errors; last: ${reason}`.slice(0, 400),
      message: 'Set aside for a manager after repeated errors',
    };
  }
  return {
    state: mayHaveCharged || payment.state === 'unknown' ? 'unknown' : 'pending',
    errorCount,
    lastError: reason,
    nextAttemptAt: new Date(
      now.getTime() + fullJitterMs(errorCount, policy.baseMs, policy.capMs, random) + policy.baseMs,
    ).toISOString(),
  };
}

/** One attempt log entry. */
export function attemptRecord(
  kind: AttemptRecord['kind'],
  startedAt: Date,
  finishedAt: Date,
  result:
    | { outcome: 'captured' | 'declined' | 'not_found' | 'expired'; code?: string | null; message?: string | null }
    | { outcome: 'error'; error: unknown }
    | { outcome: 'gateway_error'; error: GatewayError },
): AttemptRecord {
  const base = { kind, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() };
  if (result.outcome === 'gateway_error') {
    const { error } = result;
    return {
      ...base,
      outcome: error.code === 'circuit_open' ? 'circuit_open' : error.kind,
      code: error.code,
      message: redactSecrets(error.message).slice(0, 400),
      retryAfterMs: error.retryAfterMs ?? null,
    };
  }
  if (result.outcome === 'error') {
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    return {
      ...base,
      outcome: 'error',
      code: 'unexpected',
      message: redactSecrets(message).slice(0, 400),
      retryAfterMs: null,
    };
  }
  return {
    ...base,
    outcome: result.outcome,
    code: result.code ?? null,
    message:
      result.message === undefined || result.message === null ? null : redactSecrets(result.message).slice(0, 400),
    retryAfterMs: null,
  };
}
