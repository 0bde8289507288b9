/**
 * Money is an integer count of a currency's minor units (cents, fils, yen) with an ISO 4217 code.
 * No floating point value ever represents an amount; decimals appear only when parsing input or
 * formatting for people, at the edges.
 */

/** ISO 4217 minor-unit exponents for the currencies Till accepts. */
export const CURRENCY_EXPONENTS = {
  AED: 2,
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  LYD: 3,
  MXN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PLN: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
} as const satisfies Record<string, number>;

/** An ISO 4217 code Till knows the exponent of. */
export type CurrencyCode = keyof typeof CURRENCY_EXPONENTS;

/** Largest absolute amount, in minor units, that Till accepts anywhere (keeps sums exact). */
export const MAX_MINOR_UNITS = 1_000_000_000_000;

/** True when `code` is a currency Till supports. */
export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/** The number of decimal places of a currency's minor unit (JPY 0, USD 2, KWD 3). */
export function currencyExponent(currency: CurrencyCode): number {
  return CURRENCY_EXPONENTS[currency];
}

/** Throws unless `amount` is a safe integer within Till's bounds. */
export function assertMinorUnits(amount: number, what = 'amount'): void {
  if (!Number.isSafeInteger(amount) || Math.abs(amount) > MAX_MINOR_UNITS) {
    throw new RangeError(`${what} must be an integer number of minor units, got ${amount}`);
  }
}

/**
 * Parses a decimal amount typed by a person ("12.5", "-0.125", "1200") into minor units.
 * Rejects more decimals than the currency has instead of rounding them away.
 */
export function parseMoney(text: string, currency: CurrencyCode): number {
  const exponent = currencyExponent(currency);
  const match = /^\s*(-)?(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a decimal amount`);
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new RangeError(`${currency} has ${exponent} decimal places; "${text}" has ${fraction.length}`);
  }
  const digits = whole + fraction.padEnd(exponent, '0');
  const amount = Number(digits) * (sign ? -1 : 1);
  assertMinorUnits(amount);
  return amount === 0 ? 0 : amount;
}

/** Formats minor units as a plain decimal string without symbol ("12.50", "1200", "0.125"). */
export function toDecimalString(amount: number, currency: CurrencyCode): string {
  assertMinorUnits(amount);
  const exponent = currencyExponent(currency);
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * Formats minor units for people with `Intl.NumberFormat` ("$12.50", "¥1,200", "KWD 0.125").
 * The number passed to Intl is built from the exact decimal string, so no float arithmetic
 * touches the amount.
 */
export function formatMoney(amount: number, currency: CurrencyCode, locale?: string): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(Number(toDecimalString(amount, currency)));
}
