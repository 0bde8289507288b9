import { checkSaleArithmetic, uuidv7 } from '@till/shared/core';
import { describe, expect, it } from 'vitest';
import { TEST_STORE } from '../../test-support/ledger-fixtures.ts';
import { buildSaleDraft } from './build-sale-draft.ts';
import { cartReducer, cartTotals, EMPTY_CART } from './cart.ts';
import {
  addTender,
  cashPart,
  completingTenders,
  isCartLocked,
  newTenderSession,
  remainingAmount,
  removeTender,
} from './tender-session.ts';

const product = {
  id: '01890a5d-ac96-774b-bcce-b302099a0001',
  sku: 'BAG',
  name: 'Bag',
  category: 'Goods',
  barcodes: [],
  price: 15_000,
  taxRateBp: 2300,
  active: true,
  version: 1,
};
const cart = cartReducer(EMPTY_CART, { type: 'add', product });
const total = cartTotals(cart, 'inclusive').total;

function card(amount: number, entry: 'live' | 'stored') {
  return {
    id: uuidv7(),
    kind: 'card' as const,
    amount,
    brand: 'visa',
    last4: '4242',
    gatewayToken: 'pm_card_visa',
    entry,
    gatewayRef: entry === 'live' ? 'ch_1' : null,
    storedReason: entry === 'stored' ? ('offline' as const) : null,
  };
}

describe('split tender', () => {
  it('cash + card sum to the total, with change on the cash only', () => {
    let session = newTenderSession(uuidv7());
    session = addTender(session, card(10_000, 'stored'), true);
    expect(remainingAmount(session, total)).toBe(5_000);
    const tenders = completingTenders(session, total, { tenderId: uuidv7(), tendered: 6_000 });
    expect(tenders.map((tender) => tender.amount)).toEqual([10_000, 5_000]);
    expect(tenders[1]).toMatchObject({ kind: 'cash', tendered: 6_000, change: 1_000 });
    const draft = buildSaleDraft(cart, TEST_STORE, tenders, session.saleId, new Date());
    expect(checkSaleArithmetic(draft, TEST_STORE)).toEqual([]);
    expect(draft.tenders.reduce((sum, tender) => sum + tender.amount, 0)).toBe(draft.totals.total);
  });

  it('a cash part, then a live card for the rest; the live card cannot be taken off', () => {
    let session = newTenderSession(uuidv7());
    session = addTender(session, cashPart(uuidv7(), 2_000), true);
    expect(isCartLocked(session)).toBe(true);
    session = addTender(session, card(13_000, 'live'), false);
    expect(remainingAmount(session, total)).toBe(0);
    const liveId = session.tenders[1]?.tender.id ?? '';
    expect(removeTender(session, liveId)).toBe(session);
    const tenders = completingTenders(session, total, null);
    expect(
      checkSaleArithmetic(buildSaleDraft(cart, TEST_STORE, tenders, session.saleId, new Date()), TEST_STORE),
    ).toEqual([]);
  });

  it('payments that do not cover the total cannot complete a sale', () => {
    const session = addTender(newTenderSession(uuidv7()), card(10_000, 'stored'), true);
    expect(() => completingTenders(session, total, null)).toThrow(RangeError);
    expect(() => completingTenders(session, total, { tenderId: uuidv7(), tendered: 4_999 })).toThrow(RangeError);
    expect(() => buildSaleDraft(cart, TEST_STORE, [card(10_000, 'stored')], session.saleId, new Date())).toThrow(
      /do not add up/,
    );
  });
});
