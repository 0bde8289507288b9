import { type CardOfflineLimits, currencyExponent, defaultCardOfflineLimits, type StoreInfo } from '@till/shared/core';
import type { StoreRefusal } from '../../db/index.ts';

/**
 * The store's store-and-forward limits. A till enrolled before limits existed keeps a StoreInfo
 * without them until its next catalog refresh; it uses the contract's defaults meanwhile.
 */
export function effectiveLimits(store: StoreInfo): CardOfflineLimits {
  const limits: CardOfflineLimits | undefined = store.cardOfflineLimits;
  return limits ?? defaultCardOfflineLimits(currencyExponent(store.currency));
}

/**
 * Whether `amount` may be stored now, given what this device already holds in stored, unsettled
 * card payments. Both limits are checked; the message says which one and how much could still
 * go on a card, so the cashier can split the payment.
 */
export function checkOfflineLimits(
  amount: number,
  outstanding: number,
  limits: CardOfflineLimits,
  format: (amount: number) => string,
): StoreRefusal | null {
  const maxOnCard = Math.max(0, Math.min(limits.maxPerPayment, limits.maxTotalPerDevice - outstanding));
  const hint = maxOnCard > 0 ? ` (up to ${format(maxOnCard)} can go on a card)` : '';
  if (amount > limits.maxPerPayment) {
    return {
      code: 'over_per_payment',
      maxOnCard,
      message: `Over the offline card limit of ${format(limits.maxPerPayment)} — take cash or another payment${hint}`,
    };
  }
  if (outstanding + amount > limits.maxTotalPerDevice) {
    return {
      code: 'over_device_total',
      maxOnCard,
      message:
        `Over the offline card limit of ${format(limits.maxTotalPerDevice)} for this till ` +
        `(${format(outstanding)} already stored) — take cash or another payment${hint}`,
    };
  }
  return null;
}

/** When a payment stored now expires uncharged (the server's own clock has the last word). */
export function storedExpiry(now: number, limits: CardOfflineLimits): string {
  return new Date(now + limits.maxAgeMinutes * 60_000).toISOString();
}
