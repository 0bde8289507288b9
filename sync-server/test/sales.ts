import {
  type CardTender,
  computeSaleTotals,
  formatReceiptNo,
  GENESIS_HASH,
  type Sale,
  type SaleLine,
  type StoreInfo,
  sealRecord,
  type UnsealedSale,
  uuidv7,
} from '@till/shared';

/**
 * Sales made the way the till makes them, with @till/shared alone: the server tests (through
 * HTTP, `helper.ts`) and the ledger contract suite (through the store's interfaces) both use them.
 */

/** Figures that make a sale's lines: two demo products at 8.25 % tax, prices before tax, 1,407 cents. */
export const DEFAULT_LINES: SaleLine[] = [
  { lineNo: 1, productId: null, sku: 'COF-004', name: 'Latte', qty: 2, unitPrice: 450, discount: 0, taxRateBp: 825 },
  {
    lineNo: 2,
    productId: null,
    sku: 'BAK-007',
    name: 'Butter Croissant',
    qty: 1,
    unitPrice: 375,
    discount: 25,
    taxRateBp: 825,
  },
];

/** Edits a sale before it is sealed (e.g. wrong totals with a valid hash). */
export type SaleChange = (sale: UnsealedSale) => UnsealedSale;

const unchanged: SaleChange = (sale) => sale;

/** Where a device's sales come from: its store and its number there. */
export interface SaleOrigin {
  store: StoreInfo;
  deviceNo: number;
}

/** One device's hash chain, making sales the way the till does. */
export class SaleChain {
  seq = 0;
  prevHash = GENESIS_HASH;

  constructor(private readonly origin: SaleOrigin) {}

  /**
   * The next sale in this device's chain, correctly totalled, paid in cash and sealed. `change`
   * edits the sale before sealing; the chain advances anyway.
   */
  async nextSale(change: SaleChange = unchanged): Promise<Sale> {
    this.seq += 1;
    const sale = await this.makeSale(this.seq, this.prevHash, change);
    this.prevHash = sale.hash;
    return sale;
  }

  /** The next sale, paid by one card tender for its whole total (stored unless told). */
  nextCardSale(card: Partial<CardTender> = {}, change: SaleChange = unchanged): Promise<Sale> {
    return this.nextSale((sale) => change(payByCard(sale, card)));
  }

  /** Several next sales. */
  async nextSales(count: number): Promise<Sale[]> {
    const sales: Sale[] = [];
    for (let i = 0; i < count; i += 1) sales.push(await this.nextSale());
    return sales;
  }

  /** A sale at any seq and prevHash, without touching the chain (for gaps, reuse, breaks). */
  makeSale(seq: number, prevHash: string, change: SaleChange = unchanged): Promise<Sale> {
    const { store, deviceNo } = this.origin;
    const totals = computeSaleTotals(DEFAULT_LINES, store.taxMode);
    const tendered = Math.ceil(totals.total / 1000) * 1000;
    const unsealed: UnsealedSale = {
      id: uuidv7(),
      deviceSeq: seq,
      prevHash,
      receiptNo: formatReceiptNo(store.code, deviceNo, seq),
      createdAt: new Date(Date.UTC(2026, 2, 2, 8, 0, seq)).toISOString(),
      currency: store.currency,
      taxMode: store.taxMode,
      lines: DEFAULT_LINES,
      totals,
      tenders: [{ id: uuidv7(), kind: 'cash', amount: totals.total, tendered, change: tendered - totals.total }],
    };
    return sealRecord(change(unsealed));
  }
}

/** A card tender for the whole total (stored, Visa, approving test token unless overridden). */
export function payByCard(sale: UnsealedSale, card: Partial<CardTender> = {}): UnsealedSale {
  const tender: CardTender = {
    id: uuidv7(),
    kind: 'card',
    amount: sale.totals.total,
    brand: 'visa',
    last4: '4242',
    gatewayToken: 'pm_card_visa',
    entry: 'stored',
    gatewayRef: null,
    storedReason: 'gateway_unavailable',
    ...card,
  };
  return { ...sale, tenders: [tender] };
}

/** The card tender of a sale made by `nextCardSale`. */
export function cardOf(sale: Sale): CardTender {
  const tender = sale.tenders.find((t) => t.kind === 'card');
  if (tender === undefined || tender.kind !== 'card') throw new Error(`sale ${sale.id} has no card tender`);
  return tender;
}
