import type { CurrencyCode } from '@till/shared';

/**
 * What the capture worker needs from a card gateway, whichever gateway it is. One card payment
 * is one `capture` under one idempotency key — the payment's own id, made on the till — for
 * its whole life (I4). Nothing behind this interface may ever make up another key.
 */
export interface PaymentGateway {
  /**
   * Charges the payment once. Answers `captured` or `declined` (a decline is an answer, not an
   * error, and is terminal). Throws `GatewayError` when there is no answer; its `kind` says what
   * the caller may conclude (see `GatewayFailureKind`).
   */
  capture(request: CaptureRequest, options?: CaptureOptions): Promise<CaptureOutcome>;
  /**
   * What the gateway holds for a payment id, without any chance of charging it. `null` means
   * the gateway shows no charge for this id *as far as its lookup can tell*: for gateways whose
   * lookup is eventually consistent (Stripe search), a miss soon after an `unknown` attempt
   * means "still unknown", not "never charged". Throws `GatewayError`.
   */
  lookup(paymentId: string): Promise<CaptureOutcome | null>;
}

export interface CaptureRequest {
  /** The card payment's id (UUIDv7 from the till); it IS the gateway idempotency key. */
  paymentId: string;
  /** Integer minor units of `currency` (ISO 4217 exponent, as everywhere in Till). */
  amount: number;
  currency: CurrencyCode;
  /** The gateway's token for the card (never a card number). */
  gatewayToken: string;
  /** The receipt number, shown in the gateway's dashboard. */
  reference: string;
}

export interface CaptureOptions {
  /** Overrides the adapter's default timeout for this call. */
  timeoutMs?: number;
}

export type CaptureOutcome =
  | { status: 'captured'; gatewayRef: string }
  | { status: 'declined'; declineCode: string; message: string; gatewayRef: string | null };

/**
 * What a failed call tells the caller:
 * - `unknown`: the request may have reached the gateway and been acted on (timeout or dropped
 *   connection after sending, a 500 whose result the gateway saved). A charge may exist. Resolve
 *   it with the same key or `lookup`; never conclude "not charged" from it.
 * - `retryable`: the gateway did not act on THIS request (refused connection, 503, 429, lock
 *   conflict, open circuit). Try again later, with the same key, after `retryAfterMs` if given.
 *   It says nothing about earlier attempts: after an `unknown`, a `retryable` (e.g. a 409 because
 *   the earlier request is still executing at the gateway) must not be read as "not charged".
 * - `permanent`: the request itself is wrong (bad parameters, key reused with other
 *   parameters, credentials). Retrying the same request will fail the same way.
 */
export type GatewayFailureKind = 'unknown' | 'retryable' | 'permanent';

/** Machine-readable reasons; the kind each one comes with is fixed by `GATEWAY_ERROR_KINDS`. */
export type GatewayErrorCode =
  /** No answer within the timeout after the request was sent. */
  | 'timeout'
  /** The connection was reset or closed after the request was (possibly) sent. */
  | 'connection_dropped'
  /** Nothing listened (ECONNREFUSED): the request never left. */
  | 'connection_refused'
  /** DNS failure or no route: the request never left. */
  | 'network_unreachable'
  /** 429 (or Stripe's 400 `rate_limit`); `retryAfterMs` carries `Retry-After` when sent. */
  | 'rate_limited'
  /** 503: the gateway refused the work. */
  | 'gateway_unavailable'
  /** 500/502/504 or other 5xx: the gateway may have acted; Stripe replays a saved 500 per key. */
  | 'gateway_error'
  /** The gateway answered something that is not a readable response. */
  | 'invalid_response'
  /** 409 (`lock_timeout`, `idempotency_key_in_use`): another request holds the key right now. */
  | 'conflict'
  /** The gateway has the payment but has not decided it yet (e.g. PaymentIntent `processing`). */
  | 'pending_at_gateway'
  /** The key was already used with different parameters (Stripe `idempotency_error`). */
  | 'idempotency_conflict'
  /** 400/404, a 402 that is not a card decline, or a request this adapter cannot send. */
  | 'invalid_request'
  /** The amount cannot be expressed for this gateway/currency without rounding money. */
  | 'unsupported_amount'
  /** 401: our API key is wrong. The payment is fine; the configuration is not. */
  | 'authentication'
  /** 403: our API key lacks a permission. The payment is fine; the configuration is not. */
  | 'permission'
  /** A lookup found more than one successful charge for one payment id (an I4 breach). */
  | 'duplicate_charges'
  /** The circuit breaker is open; the gateway was not called. */
  | 'circuit_open';

/**
 * The kind each code carries on a capture. On a lookup, which cannot charge, `unknown` codes come
 * back as `retryable`.
 */
export const GATEWAY_ERROR_KINDS = {
  timeout: 'unknown',
  connection_dropped: 'unknown',
  connection_refused: 'retryable',
  network_unreachable: 'retryable',
  rate_limited: 'retryable',
  gateway_unavailable: 'retryable',
  gateway_error: 'unknown',
  invalid_response: 'unknown',
  conflict: 'retryable',
  pending_at_gateway: 'unknown',
  idempotency_conflict: 'permanent',
  invalid_request: 'permanent',
  unsupported_amount: 'permanent',
  authentication: 'permanent',
  permission: 'permanent',
  duplicate_charges: 'permanent',
  circuit_open: 'retryable',
} as const satisfies Record<GatewayErrorCode, GatewayFailureKind>;

export interface GatewayErrorDetails {
  /** How long the gateway (or the breaker) asks us to wait before the next call. */
  retryAfterMs?: number;
  /** HTTP status the gateway answered with, when it answered. */
  statusCode?: number;
  /** The gateway's request id, for its support desk. */
  requestId?: string;
  cause?: unknown;
}

/** A gateway call that produced no outcome. `code` is for programs, `message` for people. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly retryAfterMs: number | undefined;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;

  constructor(
    readonly kind: GatewayFailureKind,
    readonly code: GatewayErrorCode,
    message: string,
    details: GatewayErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.retryAfterMs = details.retryAfterMs;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
  }

  /** Builds the error with the kind its code implies for a capture. */
  static of(code: GatewayErrorCode, message: string, details?: GatewayErrorDetails): GatewayError {
    return new GatewayError(GATEWAY_ERROR_KINDS[code], code, message, details);
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
