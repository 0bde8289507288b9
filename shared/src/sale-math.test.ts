import { describe, expect, it } from 'vitest';
import { divideRoundHalfAwayFromZero } from './rounding.ts';
import { changeDue, computeSaleTotals, priceLine, SaleMathError } from './sale-math.ts';

describe('the one rounding rule: half away from zero, per line', () => {
  it('rounds halves away from zero, symmetrically for negatives', () => {
    expect(divideRoundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(divideRoundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfAwayFromZero(4n, 3n)).toBe(1n);
    expect(divideRoundHalfAwayFromZero(-4n, 3n)).toBe(-1n);
    expect(divideRoundHalfAwayFromZero(7n, -2n)).toBe(-4n);
    expect(divideRoundHalfAwayFromZero(0n, 7n)).toBe(0n);
    expect(() => divideRoundHalfAwayFromZero(1n, 0n)).toThrow(RangeError);
  });

  it('prices a tax-exclusive line: 3 × $1.99 at 8.25 % = 5.97 + 0.49', () => {
    expect(priceLine({ qty: 3, unitPrice: 199, discount: 0, taxRateBp: 825 }, 'exclusive')).toEqual({
      gross: 597,
      discount: 0,
      net: 597,
      tax: 49, // 49.2525 → 49
      total: 646,
    });
  });

  it('prices a tax-inclusive line so that net-of-tax + tax is the shelf price exactly', () => {
    // £10.00 at 20 % VAT contains £1.67 of tax (10.00 / 1.2 = 8.333… → 8.33).
    const line = priceLine({ qty: 1, unitPrice: 1000, discount: 0, taxRateBp: 2000 }, 'inclusive');
    expect(line).toEqual({ gross: 1000, discount: 0, net: 1000, tax: 167, total: 1000 });
  });

  it('applies the line discount before tax', () => {
    const line = priceLine({ qty: 2, unitPrice: 500, discount: 100, taxRateBp: 1000 }, 'exclusive');
    expect(line).toEqual({ gross: 1000, discount: 100, net: 900, tax: 90, total: 990 });
  });

  it('rounds exactly at the half: 0.5 minor units of tax becomes 1, and −0.5 becomes −1', () => {
    // 10 cents at 5 % = 0.5 cent
    expect(priceLine({ qty: 1, unitPrice: 10, discount: 0, taxRateBp: 500 }, 'exclusive').tax).toBe(1);
    expect(priceLine({ qty: -1, unitPrice: 10, discount: 0, taxRateBp: 500 }, 'exclusive').tax).toBe(-1);
  });

  it('makes a refund line the exact mirror of the sale line (negative qty)', () => {
    for (const taxMode of ['inclusive', 'exclusive'] as const) {
      const sale = priceLine({ qty: 3, unitPrice: 333, discount: 17, taxRateBp: 1750 }, taxMode);
      const refund = priceLine({ qty: -3, unitPrice: 333, discount: 17, taxRateBp: 1750 }, taxMode);
      expect(refund).toEqual({
        gross: -sale.gross,
        discount: -sale.discount,
        net: -sale.net,
        tax: -sale.tax,
        total: -sale.total,
      });
    }
  });

  it('handles zero-decimal currencies (JPY) with the same integer rule', () => {
    // ¥1,080 including 8 % consumption tax contains ¥80.
    expect(priceLine({ qty: 1, unitPrice: 1080, discount: 0, taxRateBp: 800 }, 'inclusive').tax).toBe(80);
    // ¥999 + 10 % = ¥99.9 → ¥100
    expect(priceLine({ qty: 1, unitPrice: 999, discount: 0, taxRateBp: 1000 }, 'exclusive').tax).toBe(100);
  });

  it('handles three-decimal currencies (KWD): 0.125 KWD × 7 at 5 %', () => {
    const line = priceLine({ qty: 7, unitPrice: 125, discount: 0, taxRateBp: 500 }, 'exclusive');
    expect(line.gross).toBe(875);
    expect(line.tax).toBe(44); // 43.75 → 44
  });

  it('sums per-line rounded tax, not the tax of the sum', () => {
    // Three lines of 10 cents at 5 %: each 0.5 → 1, so 3 cents; the tax of the 30-cent sum would be 2.
    const lines = [1, 2, 3].map(() => ({ qty: 1, unitPrice: 10, discount: 0, taxRateBp: 500 }));
    expect(computeSaleTotals(lines, 'exclusive')).toEqual({ subtotal: 30, discount: 0, tax: 3, total: 33 });
  });

  it('totals a mixed sale with a refund line', () => {
    const totals = computeSaleTotals(
      [
        { qty: 2, unitPrice: 450, discount: 0, taxRateBp: 2000 },
        { qty: 1, unitPrice: 1299, discount: 299, taxRateBp: 500 },
        { qty: -1, unitPrice: 450, discount: 0, taxRateBp: 2000 },
      ],
      'inclusive',
    );
    // lines: 900 (tax 150), 1000 (tax 48), −450 (tax −75)
    expect(totals).toEqual({ subtotal: 1749, discount: 299, tax: 123, total: 1450 });
  });

  it('keeps exact results where qty × price × rate exceeds 2^53', () => {
    const line = priceLine({ qty: 9999, unitPrice: 99_999_999, discount: 0, taxRateBp: 9999 }, 'exclusive');
    expect(line.gross).toBe(999_899_990_001);
    // 999 899 990 001 × 9999 = 9 998 000 000 019 999 (> 2^53) / 10000 → 999 800 000 002
    expect(line.tax).toBe(999_800_000_002);
  });

  it('refuses impossible lines with a code a program can act on', () => {
    const bad = (overrides: object) => () =>
      priceLine({ qty: 1, unitPrice: 100, discount: 0, taxRateBp: 0, ...overrides }, 'exclusive');
    expect(bad({ qty: 0 })).toThrow(SaleMathError);
    expect(bad({ qty: 1.5 })).toThrow(/qty/);
    expect(bad({ unitPrice: -1 })).toThrow(/unitPrice/);
    expect(bad({ discount: 101 })).toThrow(/discount/);
    expect(bad({ discount: -1 })).toThrow(/discount/);
    expect(bad({ taxRateBp: 10_001 })).toThrow(/taxRateBp/);
    try {
      bad({ discount: 101 })();
    } catch (error) {
      expect((error as SaleMathError).code).toBe('invalid_discount');
    }
  });

  it('computes change due', () => {
    expect(changeDue(2000, 1450)).toBe(550);
    expect(changeDue(1450, 1450)).toBe(0);
  });
});
