import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../../db/index.ts';
import { BarcodeCollector } from './barcode-collector.ts';
import { cartReducer, cartTotals, EMPTY_CART, toSaleLines } from './cart.ts';
import { cashSuggestions } from './cash-suggestions.ts';

const coffee: CatalogProduct = {
  id: '01890a5d-ac96-774b-bcce-b302099a0001',
  sku: 'COF',
  name: 'Coffee',
  category: 'Drinks',
  barcodes: ['5000001'],
  price: 350,
  taxRateBp: 2300,
  active: true,
  version: 1,
};

describe('cart', () => {
  it('adds, increments, decrements, discounts and removes lines', () => {
    let cart = cartReducer(EMPTY_CART, { type: 'add', product: coffee });
    cart = cartReducer(cart, { type: 'add', product: coffee });
    expect(cart.lines).toMatchObject([{ sku: 'COF', qty: 2, discount: 0 }]);
    cart = cartReducer(cart, { type: 'discount', productId: coffee.id, amount: 5000 });
    expect(cart.lines[0]?.discount).toBe(700); // clamped to the line's gross
    cart = cartReducer(cart, { type: 'decrement', productId: coffee.id });
    expect(cart.lines[0]).toMatchObject({ qty: 1, discount: 350 });
    expect(toSaleLines(cart)[0]).toMatchObject({ lineNo: 1, productId: coffee.id, unitPrice: 350, discount: 350 });
    cart = cartReducer(cart, { type: 'decrement', productId: coffee.id });
    expect(cart.lines).toEqual([]);
  });

  it('totals come from the shared sale math', () => {
    const cart = cartReducer(cartReducer(EMPTY_CART, { type: 'add', product: coffee }), {
      type: 'increment',
      productId: coffee.id,
    });
    expect(cartTotals(cart, 'inclusive')).toEqual({ subtotal: 700, discount: 0, tax: 131, total: 700 });
    expect(cartTotals(cart, 'exclusive').total).toBe(861);
  });
});

describe('cash suggestions', () => {
  it('rounds the total up to the next notes', () => {
    expect(cashSuggestions(1234, 'EUR')).toEqual([1300, 1500, 2000, 5000]);
    expect(cashSuggestions(2000, 'EUR')).toEqual([5000, 10000, 20000, 50000]);
    expect(cashSuggestions(1850, 'JPY')).toEqual([1900, 2000, 5000, 10000]);
  });
});

describe('barcode collector', () => {
  it('accepts a fast burst ending in Enter and ignores typing', () => {
    const collector = new BarcodeCollector();
    const scan = [...'5000001', 'Enter'].map((key, index) => collector.feed(key, 1000 + index * 8));
    expect(scan).toEqual([null, null, null, null, null, null, null, '5000001']);
    const typed = [...'1234', 'Enter'].map((key, index) => collector.feed(key, 5000 + index * 200));
    expect(typed).toEqual([null, null, null, null, null]);
  });
});
