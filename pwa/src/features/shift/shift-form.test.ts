import { formatMoney } from '@till/shared/core';
import { describe, expect, it } from 'vitest';
import {
  countVerdict,
  describeVerdict,
  parseAmountText,
  parseMovementText,
  pressAmountKey,
  signedMovement,
} from './shift-form.ts';

const format = (amount: number) => formatMoney(amount, 'EUR', 'en-IE');

describe('shift form rules', () => {
  it('[SHIFT-1] amounts are typed in major units and held in minor units', () => {
    expect(parseAmountText('150.00', 'EUR')).toBe(15_000);
    expect(parseAmountText('150', 'EUR')).toBe(15_000);
    expect(parseAmountText('0.5', 'EUR')).toBe(50);
    expect(parseAmountText('1200', 'JPY')).toBe(1_200);
    expect(parseAmountText('', 'EUR')).toBeNull();
    expect(parseAmountText('-5.00', 'EUR')).toBeNull();
    expect(parseAmountText('1.234', 'EUR')).toBeNull();
    expect(parseAmountText('abc', 'EUR')).toBeNull();
  });

  it('the keypad pushes digits in from the right, in minor units', () => {
    let text = '';
    for (const key of ['1', '5', '00', '0']) text = pressAmountKey(text, key, 'EUR');
    expect(text).toBe('150.00');
    text = pressAmountKey(text, '⌫', 'EUR');
    expect(text).toBe('15.00');
    expect(pressAmountKey('0.0', '⌫', 'EUR')).toBe('');
    expect(pressAmountKey('', '00', 'EUR')).toBe('');
    expect(pressAmountKey('not money', '7', 'EUR')).toBe('0.07');
  });

  it('[SHIFT-1] paid out is a negative movement, paid in positive', () => {
    expect(signedMovement(500, 'out')).toBe(-500);
    expect(signedMovement(500, 'in')).toBe(500);
    expect(parseMovementText('5.00', 'out', 'EUR')).toBe(-500);
    expect(parseMovementText('20', 'in', 'EUR')).toBe(2_000);
    expect(parseMovementText('-5.00', 'in', 'EUR')).toBe(-500);
    expect(parseMovementText('0.00', 'in', 'EUR')).toBeNull();
    expect(parseMovementText('', 'in', 'EUR')).toBeNull();
  });

  it('[SHIFT-3] over/short is counted − expected', () => {
    expect(countVerdict(18_000, 18_000)).toEqual({ kind: 'balanced' });
    expect(countVerdict(18_100, 18_000)).toEqual({ kind: 'over', by: 100 });
    expect(countVerdict(17_900, 18_000)).toEqual({ kind: 'short', by: 100 });
    expect(countVerdict(0, -500)).toEqual({ kind: 'over', by: 500 });
    expect(describeVerdict(countVerdict(17_900, 18_000), format)).toBe('Short by €1.00');
    expect(describeVerdict(countVerdict(18_100, 18_000), format)).toBe('Over by €1.00');
    expect(describeVerdict(countVerdict(1, 1), format)).toBe('Balanced');
  });
});
