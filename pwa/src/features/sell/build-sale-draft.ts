import { checkSaleArithmetic, type StoreInfo, type Tender } from '@till/shared/core';
import type { SaleDraft } from '../../db/index.ts';
import { type Cart, cartTotals, toSaleLines } from './cart.ts';

/**
 * The sale the cashier is about to complete: lines as sold, totals by the shared math, and the
 * tenders that pay it (cash with change, card payments live or stored). Throws if the cart
 * cannot be a sale (empty, not paid exactly, or figures the server would flag).
 */
export function buildSaleDraft(
  cart: Cart,
  store: StoreInfo,
  tenders: readonly Tender[],
  saleId: string,
  now: Date,
): SaleDraft {
  if (cart.lines.length === 0) throw new RangeError('The cart is empty');
  const lines = toSaleLines(cart);
  const totals = cartTotals(cart, store.taxMode);
  const paid = tenders.reduce((sum, tender) => sum + tender.amount, 0);
  if (paid !== totals.total) throw new RangeError('The payments do not add up to the total');
  const draft: SaleDraft = {
    id: saleId,
    createdAt: now.toISOString(),
    currency: store.currency,
    taxMode: store.taxMode,
    lines,
    totals,
    tenders: [...tenders],
  };
  const flags = checkSaleArithmetic(draft, store);
  if (flags.length > 0) throw new RangeError(`The sale does not add up (${flags.join(', ')})`);
  return draft;
}
