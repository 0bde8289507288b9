import { type CurrencyCode, parseMoney, toDecimalString } from '@till/shared/core';

/**
 * The shift screens' arithmetic and input rules, pure so they are tested without a browser.
 * Amounts are typed in major units ("150.00") and held in minor units (integers) from then on.
 */

/** A non-negative amount typed in major units ("150", "150.5", "150.00"), or null when it is not one. */
export function parseAmountText(text: string, currency: CurrencyCode): number | null {
  if (text.trim() === '') return null;
  try {
    const amount = parseMoney(text, currency);
    return amount >= 0 ? amount : null;
  } catch {
    return null;
  }
}

/** The most digits the keypad takes (9: ten million in a two-decimal currency). */
const MAX_KEYPAD_DIGITS = 9;

/**
 * A keypad key applied to an amount field, cash-register style: digits push in from the right
 * in minor units (1-5-0-0-0 is 150.00), ⌫ takes the last one off. Unreadable text starts over.
 */
export function pressAmountKey(text: string, key: string, currency: CurrencyCode): string {
  const current = parseAmountText(text, currency) ?? 0;
  let digits = current === 0 ? '' : String(current);
  if (key === '⌫') digits = digits.slice(0, -1);
  else if (/^\d+$/.test(key)) digits = `${digits}${key}`.replace(/^0+/, '').slice(0, MAX_KEYPAD_DIGITS);
  return digits === '' ? '' : toDecimalString(Number(digits), currency);
}

export type MoveDirection = 'in' | 'out';

/** The signed drawer movement: paid in is positive, paid out negative. */
export function signedMovement(amount: number, direction: MoveDirection): number {
  return direction === 'out' ? -amount : amount;
}

/**
 * The movement typed in the cash in/out form: the amount signed by the chosen direction, or
 * negative whatever the direction when typed with a minus ("-5.00" is paid out). Null when the
 * text is not an amount, or is zero.
 */
export function parseMovementText(text: string, direction: MoveDirection, currency: CurrencyCode): number | null {
  const trimmed = text.trim();
  const typedOut = trimmed.startsWith('-');
  const amount = parseAmountText(typedOut ? trimmed.slice(1) : trimmed, currency);
  if (amount === null || amount === 0) return null;
  return signedMovement(amount, typedOut ? 'out' : direction);
}

/** How the count compares with what the till expected (over/short = counted − expected). */
export type CountVerdict = { kind: 'balanced' } | { kind: 'over'; by: number } | { kind: 'short'; by: number };

export function countVerdict(counted: number, expected: number): CountVerdict {
  const difference = counted - expected;
  if (difference === 0) return { kind: 'balanced' };
  return difference > 0 ? { kind: 'over', by: difference } : { kind: 'short', by: -difference };
}

export function describeVerdict(verdict: CountVerdict, format: (amount: number) => string): string {
  switch (verdict.kind) {
    case 'balanced':
      return 'Balanced';
    case 'over':
      return `Over by ${format(verdict.by)}`;
    case 'short':
      return `Short by ${format(verdict.by)}`;
  }
}
