import type { Sale } from './protocol/sale.ts';
import type { FlagCode } from './protocol/sync.ts';
import { computeSaleTotals, SaleMathError, type TaxMode } from './sale-math.ts';

/**
 * The arithmetic checks the server runs on every sale it receives (and the till on every sale
 * it makes): totals recomputed with the shared rounding rule, tenders adding up to the total,
 * cash change consistent, the store's currency and tax mode. Returns flag codes, empty when
 * the sale is clean. It never throws on bad figures: a bad sale is flagged, not refused.
 */
export function checkSaleArithmetic(
  sale: Pick<Sale, 'lines' | 'totals' | 'tenders' | 'currency' | 'taxMode'>,
  store: { currency: string; taxMode: TaxMode },
): FlagCode[] {
  const flags: FlagCode[] = [];
  if (sale.currency !== store.currency || sale.taxMode !== store.taxMode) flags.push('currency_mismatch');
  try {
    const expected = computeSaleTotals(sale.lines, sale.taxMode);
    const stated = sale.totals;
    if (
      expected.subtotal !== stated.subtotal ||
      expected.discount !== stated.discount ||
      expected.tax !== stated.tax ||
      expected.total !== stated.total
    ) {
      flags.push('totals_mismatch');
    }
  } catch (error) {
    if (!(error instanceof SaleMathError) && !(error instanceof RangeError)) throw error;
    flags.push('totals_mismatch');
  }
  const paid = sale.tenders.reduce((sum, tender) => sum + tender.amount, 0);
  const cashConsistent = sale.tenders.every(
    (tender) => tender.kind !== 'cash' || tender.change === tender.tendered - tender.amount,
  );
  if (paid !== sale.totals.total || !cashConsistent) flags.push('tender_mismatch');
  return flags;
}
