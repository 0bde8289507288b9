import { type CaptureRequest, type CaptureResponse, ERROR_CODES, uuidv7 } from '@till/shared';
import { isGatewayError, type PaymentGateway } from '../gateway/payment-gateway.ts';
import { ApiProblem, GatewayProblem } from '../http-errors.ts';
import type { DeviceContext } from '../store/ledger-store.ts';
import type { PaymentChange, PaymentRecord, PaymentStore } from '../store/payment-store.ts';
import {
  attemptRecord,
  changeForFailure,
  changeForOutcome,
  changeForUnexpected,
  type RetryPolicy,
} from './capture-rules.ts';
import { gatewayRequestFor } from './process-payment.ts';
import { redactSecrets } from './redact.ts';

export interface LiveCaptureDeps {
  store: PaymentStore;
  /** The gateway behind the breaker (and the live calls' own rate limiter); null: none configured. */
  gateway: PaymentGateway | null;
  timeoutMs: number;
  now: () => Date;
  random: () => number;
  policy: RetryPolicy;
}

/** How long beyond the gateway timeout a live request keeps its lease on the payment. */
const LIVE_LEASE_MARGIN_MS = 5_000;

/**
 * Live capture (SPEC PAY-1, PAY-2): one gateway call, with a short timeout, for a card the
 * customer is presenting now. Returns the gateway's final word (captured or declined) or throws
 * the ApiProblem to answer. Never waits on a dead gateway: an open breaker answers 503 at once.
 */
export async function captureLive(
  deps: LiveCaptureDeps,
  device: DeviceContext,
  request: CaptureRequest,
): Promise<CaptureResponse> {
  if (request.currency !== device.store.currency) {
    throw new ApiProblem(
      400,
      ERROR_CODES.invalidRequest,
      `This store takes ${device.store.currency}; the capture asks for ${request.currency}`,
      [{ path: '/currency', message: `must be ${device.store.currency}` }],
    );
  }
  const now = deps.now();
  const owner = `live:${uuidv7()}`;
  const start = await deps.store.beginLiveCapture(
    device,
    request,
    { owner, expiresAt: new Date(now.getTime() + deps.timeoutMs + LIVE_LEASE_MARGIN_MS).toISOString() },
    now.toISOString(),
  );
  switch (start.kind) {
    case 'conflict':
      throw new ApiProblem(409, ERROR_CODES.paymentConflict, start.message);
    case 'busy':
      throw new GatewayProblem(
        504,
        'Another attempt for this payment is in progress; its outcome is not known yet. Store the payment with the same id.',
        undefined,
      );
    case 'settled':
      return settledAnswer(start.payment);
    case 'attempt':
      return attempt(deps, start.payment, owner);
  }
}

async function attempt(deps: LiveCaptureDeps, payment: PaymentRecord, owner: string): Promise<CaptureResponse> {
  const finish = (change: PaymentChange, attempts: ReturnType<typeof attemptRecord>[]) =>
    deps.store.finishPaymentWork({
      tenantId: payment.tenantId,
      paymentId: payment.id,
      owner,
      attempts,
      change,
      now: deps.now().toISOString(),
    });

  if (deps.gateway === null) {
    await finish({ state: payment.state }, []);
    throw new GatewayProblem(503, 'No payment gateway is configured on this server; store the payment.', undefined);
  }
  const startedAt = deps.now();
  try {
    // The stored row's parameters, not the request's: a repeat must be the identical request.
    const outcome = await deps.gateway.capture(gatewayRequestFor(payment), { timeoutMs: deps.timeoutMs });
    const finishedAt = deps.now();
    const change = changeForOutcome(outcome, finishedAt);
    const code = outcome.status === 'captured' ? outcome.gatewayRef : outcome.declineCode;
    await finish(change, [
      attemptRecord('capture', startedAt, finishedAt, {
        outcome: outcome.status,
        code,
        message: outcome.status === 'declined' ? outcome.message : null,
      }),
    ]);
    return outcome.status === 'captured'
      ? {
          paymentId: payment.id,
          status: 'captured',
          gatewayRef: outcome.gatewayRef,
          declineCode: null,
          message: 'Approved',
        }
      : {
          paymentId: payment.id,
          status: 'declined',
          gatewayRef: outcome.gatewayRef,
          declineCode: outcome.declineCode,
          message: `Declined: ${outcome.message}`,
        };
  } catch (error) {
    const finishedAt = deps.now();
    if (!isGatewayError(error)) {
      // Not an answer from the gateway: the call may have gone out, so the outcome is unknown.
      const safe = new Error(redactSecrets(error instanceof Error ? error.message : String(error)));
      await finish(changeForUnexpected(payment, safe, true, finishedAt, deps.policy, deps.random), [
        attemptRecord('capture', startedAt, finishedAt, { outcome: 'error', error: safe }),
      ]);
      throw new GatewayProblem(504, 'The gateway call failed; the outcome is not known. Store the payment.', undefined);
    }
    const change = changeForFailure(payment, error, payment.attempts + 1, finishedAt, deps.policy, deps.random);
    // This call failing proves nothing about a charge when an earlier attempt under the key may
    // have made one (the payment is already `unknown` — a repeated request) or is still being
    // executed by the gateway (409 conflict: key in use). Answering 503 there would tell the
    // till "nothing was charged", and it would let the cashier take the payment another way.
    // Found by the fault simulation (tests/sim): a duplicated capture request.
    const mayHaveCharged = error.kind === 'unknown' || payment.state === 'unknown' || error.code === 'conflict';
    const recorded: PaymentChange =
      mayHaveCharged && change.state === 'pending' ? { ...change, state: 'unknown' } : change;
    await finish(recorded, [attemptRecord('capture', startedAt, finishedAt, { outcome: 'gateway_error', error })]);
    const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
    switch (mayHaveCharged ? 'unknown' : error.kind) {
      case 'unknown':
        throw new GatewayProblem(
          504,
          'The gateway did not answer in time; the payment may or may not have gone through. Store it with the same id: it will be resolved, never charged twice.',
          undefined,
        );
      case 'retryable':
        throw new GatewayProblem(
          503,
          error.code === 'circuit_open'
            ? 'The payment gateway is failing; store the payment and it will be forwarded.'
            : 'The payment gateway is unavailable right now; store the payment and it will be forwarded.',
          retryAfterSeconds,
        );
      case 'permanent':
        throw new GatewayProblem(
          503,
          'The gateway refused this payment for a reason other than a decline; it is set aside for a manager. Store the payment.',
          undefined,
        );
    }
  }
}

/** The answer for a payment already settled (or set aside): from the row, no gateway call. */
function settledAnswer(payment: PaymentRecord): CaptureResponse {
  switch (payment.state) {
    case 'captured':
      return {
        paymentId: payment.id,
        status: 'captured',
        gatewayRef: payment.gatewayRef,
        declineCode: null,
        message: 'Approved',
      };
    case 'declined':
      return {
        paymentId: payment.id,
        status: 'declined',
        gatewayRef: payment.gatewayRef,
        declineCode: payment.declineCode,
        message: payment.message ?? 'Declined',
      };
    case 'quarantined':
      throw new GatewayProblem(503, 'This payment is set aside for a manager; store it.', undefined);
    default:
      throw new ApiProblem(
        409,
        ERROR_CODES.paymentConflict,
        `Payment ${payment.id} is ${payment.state.replace('_', ' ')}; it cannot be charged. Take a new payment.`,
      );
  }
}
