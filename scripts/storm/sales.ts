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

/** A few products of the storm shop's catalogue: [sku, name, price in cents, tax bp]. */
const PRODUCTS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['COF-001', 'Espresso', 300, 825],
  ['COF-004', 'Latte', 450, 825],
  ['BAK-007', 'Butter Croissant', 375, 825],
  ['BAK-011', 'Sourdough Loaf', 800, 0],
  ['DRI-013', 'Orange Juice', 400, 825],
  ['SNA-019', 'Trail Mix', 499, 825],
];

/** Whether sale `seq` (1-based) is paid by card: spreads exactly ⌊count × share⌋ card sales evenly. */
export function isCardSale(seq: number, cardShare: number): boolean {
  return Math.floor(seq * cardShare) > Math.floor((seq - 1) * cardShare);
}

/** How many of `count` sales are card sales at `cardShare`. */
export function cardSaleCount(count: number, cardShare: number): number {
  return Math.floor(count * cardShare);
}

function linesFor(seq: number): SaleLine[] {
  const lines: SaleLine[] = [];
  for (let lineNo = 1; lineNo <= 1 + (seq % 3); lineNo += 1) {
    const product = PRODUCTS[(seq * 7 + lineNo) % PRODUCTS.length];
    if (product === undefined) continue;
    const [sku, name, unitPrice, taxRateBp] = product;
    lines.push({
      lineNo,
      productId: null,
      sku,
      name,
      qty: 1 + ((seq + lineNo) % 2),
      unitPrice,
      discount: 0,
      taxRateBp,
    });
  }
  return lines;
}

/**
 * One till's backlog from an outage: `count` sales chained from the genesis hash, made over the
 * `count × 5` seconds before `endedAt`, correctly totalled, a `cardShare` of them paid by a
 * stored card (`entry: 'stored'`, the test token `pm_card_visa`), the rest in cash.
 */
export async function outageSales(options: {
  store: StoreInfo;
  deviceNo: number;
  count: number;
  cardShare: number;
  endedAt: number;
}): Promise<Sale[]> {
  const { store, deviceNo, count, cardShare, endedAt } = options;
  const sales: Sale[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const lines = linesFor(seq);
    const totals = computeSaleTotals(lines, store.taxMode);
    const card: CardTender = {
      id: uuidv7(),
      kind: 'card',
      amount: totals.total,
      brand: 'visa',
      last4: '4242',
      gatewayToken: 'pm_card_visa',
      entry: 'stored',
      gatewayRef: null,
      storedReason: 'offline',
    };
    const tendered = Math.ceil(totals.total / 500) * 500;
    const unsealed: UnsealedSale = {
      id: uuidv7(),
      deviceSeq: seq,
      prevHash,
      receiptNo: formatReceiptNo(store.code, deviceNo, seq),
      createdAt: new Date(endedAt - (count - seq) * 5000).toISOString(),
      currency: store.currency,
      taxMode: store.taxMode,
      lines,
      totals,
      tenders: isCardSale(seq, cardShare)
        ? [card]
        : [{ id: uuidv7(), kind: 'cash', amount: totals.total, tendered, change: tendered - totals.total }],
    };
    const sale = await sealRecord(unsealed);
    prevHash = sale.hash;
    sales.push(sale);
  }
  return sales;
}
