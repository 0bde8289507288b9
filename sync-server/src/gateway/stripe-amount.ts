import { type CurrencyCode, currencyExponent } from '@till/shared';
import { GatewayError } from './payment-gateway.ts';

/**
 * Till's amounts are ISO 4217 minor units; Stripe's "smallest currency unit" mostly agrees, with
 * documented exceptions (docs.stripe.com/currencies, "special cases"):
 * - ISK: ISO exponent 0, but Stripe keeps it two-decimal for backwards compatibility, and since
 *   2023 only whole krónur are accepted: 1 ISK is sent as 100.
 * - Three-decimal currencies (BHD, JOD, KWD, OMR, TND): sent as is, but Stripe requires the last
 *   digit to be 0. We never round money here: such an amount is refused as `unsupported_amount`
 *   (the till's rounding rules must produce multiples of 10 for card tenders in those currencies).
 * - Zero-decimal currencies (JPY, KRW, CLP, VND, UGX, XAF, XOF…) agree with ISO; sent as is.
 * Currencies Stripe does not support at all (e.g. IQD, LYD) are left for the gateway to reject.
 */
const STRIPE_TWO_DECIMAL_OVERRIDES: ReadonlySet<CurrencyCode> = new Set<CurrencyCode>(['ISK']);
const STRIPE_THREE_DECIMAL: ReadonlySet<CurrencyCode> = new Set<CurrencyCode>(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** The `amount` Stripe expects for `amount` minor units of `currency`. Throws `GatewayError`. */
export function toStripeAmount(amount: number, currency: CurrencyCode): number {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw GatewayError.of(
      'invalid_request',
      `A capture amount must be a positive integer of minor units, got ${amount}`,
    );
  }
  if (STRIPE_TWO_DECIMAL_OVERRIDES.has(currency)) {
    return amount * 10 ** (2 - currencyExponent(currency));
  }
  if (STRIPE_THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw GatewayError.of(
      'unsupported_amount',
      `Stripe accepts ${currency} amounts only in multiples of 10 (of 1/1000); ${amount} would need rounding`,
    );
  }
  return amount;
}
