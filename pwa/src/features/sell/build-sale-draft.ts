import { changeDue, checkSaleArithmetic, type StoreInfo } from '@till/shared';
import type { SaleDraft } from '../../db/index.ts';
import { type Cart, cartTotals, toSaleLines } from './cart.ts';

export interface DraftIds {
  saleId: string;
  tenderId: string;
}

/**
 * The sale the cashier is about to complete, paid in cash: lines as sold, totals by the shared
 * math, one cash tender paying the total with the change. Throws if the cart cannot be a sale
 * (empty, not enough cash, or figures the server would flag).
 */
export function buildCashSaleDraft(
  cart: Cart,
  store: StoreInfo,
  tendered: number,
  ids: DraftIds,
  now: Date,
): SaleDraft {
  if (cart.lines.length === 0) throw new RangeError('The cart is empty');
  const lines = toSaleLines(cart);
  const totals = cartTotals(cart, store.taxMode);
  if (tendered < totals.total) throw new RangeError('The cash handed over is less than the total');
  const draft: SaleDraft = {
    id: ids.saleId,
    createdAt: now.toISOString(),
    currency: store.currency,
    taxMode: store.taxMode,
    lines,
    totals,
    tenders: [
      { id: ids.tenderId, kind: 'cash', amount: totals.total, tendered, change: changeDue(tendered, totals.total) },
    ],
  };
  const flags = checkSaleArithmetic(draft, store);
  if (flags.length > 0) throw new RangeError(`The sale does not add up (${flags.join(', ')})`);
  return draft;
}
