import {
  computeSaleTotals,
  type EnrollResponse,
  formatReceiptNo,
  GENESIS_HASH,
  type Sale,
  type SaleLine,
  sealRecord,
  uuidv7,
} from '@till/shared';

/** Two demo products at 8.25 % tax, as the server tests' TestTill sells them. */
const LINES: SaleLine[] = [
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

/**
 * `count` cash sales of one enrolled device, chained from the genesis hash and sealed exactly as
 * the till seals them (seq 1, 2, 3…, receipt numbers from the store code and device number).
 */
export async function chainedCashSales(device: EnrollResponse, count: number): Promise<Sale[]> {
  const { store, deviceNo } = device;
  const totals = computeSaleTotals(LINES, store.taxMode);
  const tendered = Math.ceil(totals.total / 1000) * 1000;
  const start = Date.UTC(2026, 2, 2, 8, 0, 0);
  const sales: Sale[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const sale = await sealRecord({
      id: uuidv7(),
      deviceSeq: seq,
      prevHash,
      receiptNo: formatReceiptNo(store.code, deviceNo, seq),
      createdAt: new Date(start + seq * 1000).toISOString(),
      currency: store.currency,
      taxMode: store.taxMode,
      lines: LINES,
      totals,
      tenders: [
        { id: uuidv7(), kind: 'cash' as const, amount: totals.total, tendered, change: tendered - totals.total },
      ],
    });
    prevHash = sale.hash;
    sales.push(sale);
  }
  return sales;
}

/** Splits into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
