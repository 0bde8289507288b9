import { describe, expect, it } from 'vitest';
import {
  assertMinorUnits,
  currencyExponent,
  formatMoney,
  isCurrencyCode,
  parseMoney,
  toDecimalString,
} from './money.ts';

describe('money in integer minor units', () => {
  it('knows ISO 4217 exponents: JPY 0, USD 2, KWD 3', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('KWD')).toBe(3);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('toString')).toBe(false);
  });

  it('parses decimals exactly, without float arithmetic', () => {
    expect(parseMoney('12.34', 'USD')).toBe(1234);
    expect(parseMoney('0.1', 'USD')).toBe(10);
    expect(parseMoney('1200', 'JPY')).toBe(1200);
    expect(parseMoney('1.234', 'KWD')).toBe(1234);
    expect(parseMoney('-0.005', 'KWD')).toBe(-5);
    expect(parseMoney('-0', 'USD')).toBe(0);
    expect(Object.is(parseMoney('-0.00', 'USD'), -0)).toBe(false);
  });

  it('refuses more decimals than the currency has rather than rounding them away', () => {
    expect(() => parseMoney('1.5', 'JPY')).toThrow(/0 decimal places/);
    expect(() => parseMoney('1.234', 'USD')).toThrow(/2 decimal places/);
    expect(() => parseMoney('1,50', 'EUR')).toThrow(/not a decimal amount/);
    expect(() => parseMoney('abc', 'EUR')).toThrow();
  });

  it('writes minor units back as decimals, negatives included (refunds)', () => {
    expect(toDecimalString(5, 'USD')).toBe('0.05');
    expect(toDecimalString(-5, 'USD')).toBe('-0.05');
    expect(toDecimalString(1200, 'JPY')).toBe('1200');
    expect(toDecimalString(-1234, 'KWD')).toBe('-1.234');
    expect(toDecimalString(0, 'KWD')).toBe('0.000');
  });

  it('formats with Intl at the edge, with the currency’s own decimals', () => {
    expect(formatMoney(1250, 'USD', 'en-US')).toBe('$12.50');
    expect(formatMoney(1200, 'JPY', 'en-US')).toBe('¥1,200');
    expect(formatMoney(-1250, 'USD', 'en-US')).toBe('-$12.50');
    expect(formatMoney(1234, 'KWD', 'en-US')).toMatch(/1\.234/);
  });

  it('rejects amounts that are not safe integers', () => {
    expect(() => assertMinorUnits(1.5)).toThrow(RangeError);
    expect(() => assertMinorUnits(Number.NaN)).toThrow(RangeError);
    expect(() => assertMinorUnits(2 ** 53)).toThrow(RangeError);
    expect(() => assertMinorUnits(-100)).not.toThrow();
  });
});
