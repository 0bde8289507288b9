import type { CurrencyCode } from '@till/shared';
import {
  type CaptureOutcome,
  type CaptureRequest,
  isGatewayError,
  type PaymentGateway,
} from '../gateway/payment-gateway.ts';
import type { AttemptRecord, PaymentChange, PaymentRecord } from '../store/payment-store.ts';
import {
  attemptRecord,
  changeForFailure,
  changeForOutcome,
  changeForUnexpected,
  fullJitterMs,
  type RetryPolicy,
} from './capture-rules.ts';
import { redactSecrets } from './redact.ts';

export interface ProcessDeps {
  /** The gateway behind the breaker and the rate limiter (`guardedGateway`). */
  gateway: PaymentGateway;
  now: () => Date;
  random: () => number;
  policy: RetryPolicy;
  timeoutMs: number;
}

export interface ProcessResult {
  attempts: AttemptRecord[];
  change: PaymentChange;
}

/**
 * One claimed payment, one decision (SPEC PAY-5, PAY-6, PAY-8, PAY-9):
 *
 * 1. `unknown`, or past `expires_at` → `lookup` first. A charge found is the outcome (captured or
 *    declined) — no second charge (I4). Nothing found: past expiry → `expired`, never charged;
 *    not confirmed by a sale → still `unknown` while its live attempt is recent (the charge may
 *    not be visible yet: `unknownSettleMs`), then back to `pending`, to be checked again at
 *    expiry (the worker does not charge a card on its own); otherwise go on to 2.
 * 2. `capture` under the payment's own id, with exactly the parameters stored with it (a retry
 *    must be the same request for the gateway's idempotency to hold).
 *
 * Gateway failures become states through `capture-rules.ts`. Exceptions that are not gateway
 * answers are counted on the payment and, at the limit, quarantine it (I9).
 */
export async function processPayment(payment: PaymentRecord, deps: ProcessDeps): Promise<ProcessResult> {
  const attempts: AttemptRecord[] = [];
  const callNo = () => payment.attempts + attempts.length;

  const startedLookupAt = deps.now();
  const expired = payment.expiresAt <= startedLookupAt.toISOString();
  if (payment.state === 'unknown' || expired) {
    let found: CaptureOutcome | null;
    try {
      found = await deps.gateway.lookup(payment.id);
    } catch (error) {
      return failed(payment, 'lookup', startedLookupAt, error, attempts, callNo() + 1, deps);
    }
    const finishedAt = deps.now();
    if (found !== null) {
      attempts.push(attemptRecord('lookup', startedLookupAt, finishedAt, outcomeRecord(found)));
      return { attempts, change: changeForOutcome(found, finishedAt) };
    }
    attempts.push(attemptRecord('lookup', startedLookupAt, finishedAt, { outcome: 'not_found' }));
    if (expired) {
      attempts.push(attemptRecord('capture', finishedAt, finishedAt, { outcome: 'expired', code: 'expired' }));
      return {
        attempts,
        change: {
          state: 'expired',
          message: 'Expired: not captured within the store-and-forward time limit; the card was not charged',
        },
      };
    }
    if (payment.saleReceivedAt === null && unsettled(payment, finishedAt, deps.policy)) {
      // Too soon to call it: the live attempt may still be charging at the gateway, or not yet
      // be searchable. Look again shortly; concluding "not charged" now would hide a charge
      // until the payment's expiry. Found by the fault simulation (tests/sim).
      return {
        attempts,
        change: {
          state: 'unknown',
          nextAttemptAt: new Date(
            finishedAt.getTime() +
              fullJitterMs(
                payment.attempts + attempts.length,
                deps.policy.unknownBaseMs,
                deps.policy.unknownCapMs,
                deps.random,
              ),
          ).toISOString(),
        },
      };
    }
    if (payment.saleReceivedAt === null) {
      return {
        attempts,
        change: {
          state: 'pending',
          nextAttemptAt: payment.expiresAt,
          message: 'Not charged at the gateway; waiting for the sale that carries this payment',
          // `payment` is the row as claimed: its sale may be pushed while the lookup is out.
          untilConfirmed: true,
        },
      };
    }
  }

  const startedAt = deps.now();
  try {
    const outcome = await deps.gateway.capture(gatewayRequestFor(payment), { timeoutMs: deps.timeoutMs });
    const finishedAt = deps.now();
    attempts.push(attemptRecord('capture', startedAt, finishedAt, outcomeRecord(outcome)));
    return { attempts, change: changeForOutcome(outcome, finishedAt) };
  } catch (error) {
    return failed(payment, 'capture', startedAt, error, attempts, callNo() + 1, deps);
  }
}

function failed(
  payment: PaymentRecord,
  kind: 'capture' | 'lookup',
  startedAt: Date,
  error: unknown,
  attempts: AttemptRecord[],
  attemptNo: number,
  deps: ProcessDeps,
): ProcessResult {
  const finishedAt = deps.now();
  if (isGatewayError(error)) {
    attempts.push(attemptRecord(kind, startedAt, finishedAt, { outcome: 'gateway_error', error }));
    return { attempts, change: changeForFailure(payment, error, attemptNo, finishedAt, deps.policy, deps.random) };
  }
  attempts.push(attemptRecord(kind, startedAt, finishedAt, { outcome: 'error', error: redactedError(error) }));
  return {
    attempts,
    change: changeForUnexpected(
      payment,
      redactedError(error),
      kind === 'capture',
      finishedAt,
      deps.policy,
      deps.random,
    ),
  };
}

function outcomeRecord(outcome: CaptureOutcome) {
  return outcome.status === 'captured'
    ? { outcome: 'captured' as const, code: outcome.gatewayRef }
    : { outcome: 'declined' as const, code: outcome.declineCode, message: outcome.message };
}

/**
 * An unconfirmed payment's only capture is its live attempt, made as its row was created (a
 * till sends one; a duplicated request follows within seconds), so that is when the window in
 * which a lookup may miss its charge starts.
 */
function unsettled(payment: PaymentRecord, now: Date, policy: RetryPolicy): boolean {
  return payment.state === 'unknown' && now.getTime() < Date.parse(payment.createdAt) + policy.unknownSettleMs;
}

function redactedError(error: unknown): Error {
  return new Error(redactSecrets(error instanceof Error ? error.message : String(error)));
}

/**
 * The gateway request for a payment, built only from its stored row — never from whatever
 * request or message led here — so every attempt under its key, live or forwarded, first or
 * hundredth, is the identical request the gateway's idempotency replays (I4).
 */
export function gatewayRequestFor(payment: PaymentRecord): CaptureRequest {
  return {
    paymentId: payment.id,
    amount: payment.amount,
    currency: payment.currency as CurrencyCode,
    gatewayToken: payment.gatewayToken,
    reference: payment.reference ?? payment.id,
  };
}
