import { describe, expect, it } from 'vitest';
import type { Sale } from './protocol/sale.ts';
import { checkSaleArithmetic } from './sale-check.ts';
import { computeSaleTotals } from './sale-math.ts';

const store = { currency: 'USD', taxMode: 'exclusive' } as const;
const lines: Sale['lines'] = [
  { lineNo: 1, productId: null, sku: 'A', name: 'Latte', qty: 2, unitPrice: 450, discount: 0, taxRateBp: 825 },
  { lineNo: 2, productId: null, sku: 'B', name: 'Scone', qty: 1, unitPrice: 325, discount: 25, taxRateBp: 0 },
];
const totals = computeSaleTotals(lines, 'exclusive');
const cash = { id: 'x', kind: 'cash' as const, amount: totals.total, tendered: 2000, change: 2000 - totals.total };
const clean = {
  currency: 'USD',
  taxMode: 'exclusive',
  lines,
  totals,
  tenders: [cash],
} satisfies Pick<Sale, 'lines' | 'totals' | 'tenders' | 'currency' | 'taxMode'>;

describe('server-side arithmetic checks on a received sale', () => {
  it('finds nothing wrong with a sale priced by the shared rule', () => {
    expect(totals).toEqual({ subtotal: 1225, discount: 25, tax: 74, total: 1274 });
    expect(checkSaleArithmetic(clean, store)).toEqual([]);
  });

  it('flags totals that do not match the recomputation (totals_mismatch)', () => {
    expect(checkSaleArithmetic({ ...clean, totals: { ...totals, tax: 75, total: 1275 } }, store)).toContain(
      'totals_mismatch',
    );
  });

  it('flags tenders that do not add up to the total, or wrong change (tender_mismatch)', () => {
    const short = { ...clean, tenders: [{ ...cash, amount: 1000, change: 1000 }] };
    expect(checkSaleArithmetic(short, store)).toEqual(['tender_mismatch']);
    const wrongChange = { ...clean, tenders: [{ ...cash, change: 1 }] };
    expect(checkSaleArithmetic(wrongChange, store)).toEqual(['tender_mismatch']);
  });

  it('flags a sale in another currency or tax mode than its store (currency_mismatch)', () => {
    expect(checkSaleArithmetic(clean, { currency: 'EUR', taxMode: 'exclusive' })).toEqual(['currency_mismatch']);
  });

  it('flags, never throws on, lines that cannot be priced', () => {
    const impossible = { ...clean, lines: [{ ...lines[0], discount: 10_000 }] } as typeof clean;
    expect(checkSaleArithmetic(impossible, store)).toContain('totals_mismatch');
  });
});
