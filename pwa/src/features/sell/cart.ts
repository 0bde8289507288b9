import { computeSaleTotals, type SaleLine, type SaleTotals, type TaxMode } from '@till/shared/core';
import type { CatalogProduct } from '../../db/index.ts';

/** One line in the cart: the product as it was when it went in (its price is kept). */
export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  unitPrice: number;
  taxRateBp: number;
  qty: number;
  /** Amount off the whole line, minor units, never more than qty × unitPrice. */
  discount: number;
}

export interface Cart {
  lines: CartLine[];
}

export type CartAction =
  | { type: 'add'; product: CatalogProduct }
  | { type: 'increment'; productId: string }
  | { type: 'decrement'; productId: string }
  | { type: 'remove'; productId: string }
  | { type: 'discount'; productId: string; amount: number }
  | { type: 'clear' };

export const EMPTY_CART: Cart = { lines: [] };

const MAX_QTY = 9999;

/** Keeps a line's discount within its gross, so the shared sale math always accepts it. */
function clampDiscount(line: CartLine): CartLine {
  const gross = line.qty * line.unitPrice;
  return line.discount > gross ? { ...line, discount: gross } : line;
}

function changeLine(cart: Cart, productId: string, change: (line: CartLine) => CartLine | null): Cart {
  const lines: CartLine[] = [];
  for (const line of cart.lines) {
    if (line.productId !== productId) lines.push(line);
    else {
      const changed = change(line);
      if (changed) lines.push(clampDiscount(changed));
    }
  }
  return { lines };
}

/** The cart's reducer: scanning or tapping a product again adds one to its line. */
export function cartReducer(cart: Cart, action: CartAction): Cart {
  switch (action.type) {
    case 'add': {
      const { product } = action;
      if (cart.lines.some((line) => line.productId === product.id)) {
        return changeLine(cart, product.id, (line) => ({ ...line, qty: Math.min(MAX_QTY, line.qty + 1) }));
      }
      const line: CartLine = {
        productId: product.id,
        sku: product.sku,
        name: product.name,
        unitPrice: product.price,
        taxRateBp: product.taxRateBp,
        qty: 1,
        discount: 0,
      };
      return { lines: [...cart.lines, line] };
    }
    case 'increment':
      return changeLine(cart, action.productId, (line) => ({ ...line, qty: Math.min(MAX_QTY, line.qty + 1) }));
    case 'decrement':
      return changeLine(cart, action.productId, (line) => (line.qty > 1 ? { ...line, qty: line.qty - 1 } : null));
    case 'remove':
      return changeLine(cart, action.productId, () => null);
    case 'discount':
      return changeLine(cart, action.productId, (line) => ({ ...line, discount: Math.max(0, action.amount) }));
    case 'clear':
      return EMPTY_CART;
  }
}

/** The cart as sale lines: a snapshot of name, price and tax as sold. */
export function toSaleLines(cart: Cart): SaleLine[] {
  return cart.lines.map((line, index) => ({
    lineNo: index + 1,
    productId: line.productId,
    sku: line.sku,
    name: line.name,
    qty: line.qty,
    unitPrice: line.unitPrice,
    discount: line.discount,
    taxRateBp: line.taxRateBp,
  }));
}

/** Totals by the shared rounding rule, the same the server checks against. */
export function cartTotals(cart: Cart, taxMode: TaxMode): SaleTotals {
  return computeSaleTotals(toSaleLines(cart), taxMode);
}
