import type { CardOfflineLimits } from './store.ts';

/**
 * The protocol's plain values — versions, limits, codes, the gateway-token rule — with no
 * TypeBox in sight, so the till can use them without bundling a schema library it never runs
 * (see `../core.ts`). The schema modules re-export them; there is one definition of each.
 */

/**
 * The version of the sync protocol this code speaks. A request carries it; a server that does
 * not speak it answers 400 `unsupported_protocol_version` and the till asks for an update.
 */
export const PROTOCOL_VERSION = 1;

/** Path prefix of every versioned route. */
export const API_PREFIX = '/api/v1';

/** The error codes a client can act on. */
export const ERROR_CODES = {
  invalidRequest: 'invalid_request',
  unsupportedProtocolVersion: 'unsupported_protocol_version',
  payloadTooLarge: 'payload_too_large',
  unauthorized: 'unauthorized',
  deviceRevoked: 'device_revoked',
  enrollmentCodeInvalid: 'enrollment_code_invalid',
  batchIdReused: 'batch_id_reused',
  notFound: 'not_found',
  rateLimited: 'rate_limited',
  gatewayUnavailable: 'gateway_unavailable',
  gatewayTimeout: 'gateway_timeout',
  paymentConflict: 'payment_conflict',
  unsupportedMediaType: 'unsupported_media_type',
  forbidden: 'forbidden',
  csrfFailed: 'csrf_failed',
  /** Console: another product of the store already has this SKU. */
  skuTaken: 'sku_taken',
  /** Console: an account (of any tenant) already has this e-mail. */
  emailTaken: 'email_taken',
  internal: 'internal_error',
} as const;

/** Most sales one push may carry. A till sends larger backlogs as several batches. */
export const MAX_SALES_PER_PUSH = 200;

/** Most shift events one `POST /sync/shifts` may carry. */
export const MAX_SHIFT_EVENTS_PER_PUSH = 100;

/**
 * A gateway token for a card, never the card itself. Only letters, digits and `_`, and never a
 * run of 12 or more digits anywhere (card numbers are 12–19 digits), so a PAN — bare or
 * wrapped like `tok_4242424242424242` — can never pass validation (I8).
 */
export const GATEWAY_TOKEN_PATTERN = '^(?!.*[0-9]{12})[A-Za-z0-9_]{3,255}$';

/** True when `text` is acceptable as a gateway token (see `GatewayToken`). */
export function isGatewayToken(text: string): boolean {
  return new RegExp(GATEWAY_TOKEN_PATTERN).test(text);
}

/**
 * A card payment's life on the server. `pending`: waiting to be forwarded; `unknown`: an attempt
 * timed out and must be resolved under the same key; `quarantined`: a poison record set aside
 * for a manager. Terminal: `captured`, `declined`, `expired`, `written_off` (I5).
 */
export const PAYMENT_STATES = [
  'pending',
  'unknown',
  'quarantined',
  'captured',
  'declined',
  'expired',
  'written_off',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
export const TERMINAL_PAYMENT_STATES: readonly PaymentState[] = ['captured', 'declined', 'expired', 'written_off'];

/** Defaults for a new store, in minor units of its currency: 100.00, 500.00, 24 hours. */
export function defaultCardOfflineLimits(currencyExponent: number): CardOfflineLimits {
  const unit = 10 ** currencyExponent;
  return { maxPerPayment: 100 * unit, maxTotalPerDevice: 500 * unit, maxAgeMinutes: 24 * 60 };
}

// The manager console's plain values (schemas in manager/).

export const MANAGER_ROLES = ['owner', 'manager'] as const;
export type ManagerRole = (typeof MANAGER_ROLES)[number];

export const ALERT_KINDS = [
  'expiring_payment',
  'unknown_payment',
  'quarantined_payment',
  'declined_after_forwarding',
  'sequence_issue',
  'flagged_sale',
  'silent_device',
  'storage_not_persisted',
  'drawer_over_short',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What a manager decided about a payment that will not be (or was not) captured. */
export const FOLLOW_UPS = ['written_off', 'paid_elsewhere'] as const;
export type FollowUp = (typeof FOLLOW_UPS)[number];

export const PAYMENT_VIEWS = ['open', 'declined_after_forwarding', 'all'] as const;
export type PaymentView = (typeof PAYMENT_VIEWS)[number];

export const PAYMENT_ACTIONS = ['retry_now', 'write_off', 'resolve_paid_elsewhere'] as const;
export type PaymentAction = (typeof PAYMENT_ACTIONS)[number];

export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'till_session';
