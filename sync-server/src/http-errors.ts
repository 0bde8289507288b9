import { ApiError, ERROR_CODES } from '@till/shared';
import Type from 'typebox';

type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
type Detail = NonNullable<ApiError['details']>[number];

/**
 * An error the API answers with: an HTTP status, a code a program acts on, a message a person
 * reads. Routes and hooks throw it; the error handler sends it as `{ error, message, details? }`.
 */
export class ApiProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Detail[],
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  toBody(): ApiError {
    return this.details === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, details: this.details };
  }
}

/**
 * A 503 `gateway_unavailable` or 504 `gateway_timeout` from live capture: the till answers it by
 * storing the payment (same id) and completing the sale. `Retry-After` is sent when known.
 */
export class GatewayProblem extends ApiProblem {
  constructor(
    statusCode: 503 | 504,
    message: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(statusCode, statusCode === 503 ? ERROR_CODES.gatewayUnavailable : ERROR_CODES.gatewayTimeout, message);
  }
}

/**
 * A 429 `rate_limited`: the server is over capacity and did not start on the request, so
 * nothing was written. The client retries the same request after `Retry-After` (SPEC SCALE-1).
 */
export class ServerBusyProblem extends ApiProblem {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, ERROR_CODES.rateLimited, message);
  }
}

/** What each error status means on this API, for the OpenAPI document. */
const ERROR_MEANINGS = {
  400: 'invalid_request (details say where), unsupported_protocol_version or enrollment_code_invalid',
  401: 'unauthorized: missing, malformed or unknown device token; for the console: no live session (sign in)',
  403: 'device_revoked: a manager revoked this device; console: csrf_failed (missing/wrong X-CSRF-Token) or forbidden (role)',
  404: 'not_found',
  409: 'batch_id_reused (push: this batchId was already used with different content), payment_conflict (capture: this payment id is another payment, or can no longer be charged), sku_taken (console: another product of the store has this SKU) or email_taken (console: an account already has this e-mail)',
  413: 'payload_too_large: the body is over the server limit',
  415: 'unsupported_media_type: the body must be application/json',
  429: 'rate_limited: the server is over capacity and did nothing; retry the same request after Retry-After seconds',
  500: 'internal_error: nothing was written; retry later',
  503: 'gateway_unavailable (capture: the gateway is down, failing or not configured; store the payment and complete the sale; Retry-After when known)',
  504: 'gateway_timeout (capture: the outcome is not known; store the payment with the same id, it is resolved and never charged twice)',
} as const;

type ErrorStatus = keyof typeof ERROR_MEANINGS;

const errorSchema = (description: string) => Type.Object(ApiError.properties, { description });

/** Response schemas for the error statuses a route can answer, each an `ApiError`. */
export function errorResponses<const S extends ErrorStatus>(
  ...statuses: S[]
): Record<S, ReturnType<typeof errorSchema>> {
  const responses: Partial<Record<S, ReturnType<typeof errorSchema>>> = {};
  for (const status of statuses) responses[status] = errorSchema(ERROR_MEANINGS[status]);
  return responses as Record<S, ReturnType<typeof errorSchema>>;
}

/** Every error status any route may answer, whatever the route does. */
export const COMMON_ERRORS = [400, 413, 415, 500] as const;
