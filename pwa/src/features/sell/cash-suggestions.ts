import { type CurrencyCode, currencyExponent } from '@till/shared/core';

/** Banknote-ish steps, in major units, that a customer commonly hands over. */
const NOTE_STEPS = [1, 5, 10, 20, 50, 100, 200, 500];

/**
 * Quick-tender amounts above the total: the total rounded up to the next 1, 5, 10, 20, 50…
 * major units, distinct, at most `count`. For 12.34 EUR: 13, 15, 20, 50.
 */
export function cashSuggestions(total: number, currency: CurrencyCode, count = 4): number[] {
  const unit = 10 ** currencyExponent(currency);
  // Zero-decimal currencies (JPY) hand over 1000s, not 1s.
  const scale = unit === 1 && total >= 1000 ? 100 : 1;
  const amounts = new Set<number>();
  for (const step of NOTE_STEPS) {
    const stepMinor = step * unit * scale;
    const rounded = Math.ceil(total / stepMinor) * stepMinor;
    if (rounded > total) amounts.add(rounded);
    if (amounts.size >= count) break;
  }
  return [...amounts].sort((a, b) => a - b).slice(0, count);
}
