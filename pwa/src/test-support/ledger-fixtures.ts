import { computeSaleTotals, type SaleLine, type StoreInfo, type Tender, uuidv7 } from '@till/shared/core';
import { type LedgerSale, recordSale, type SaleDraft, saveDevice, TillDb } from '../db/index.ts';

export const TEST_STORE: StoreInfo = {
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  code: 'DEMO',
  name: 'Demo Store',
  currency: 'EUR',
  taxMode: 'inclusive',
  locale: 'en-IE',
  timezone: 'Europe/Dublin',
  address: '1 Main Street',
  // 100.00 per stored card, 500.00 stored per till, 24 h to capture.
  cardOfflineLimits: { maxPerPayment: 10_000, maxTotalPerDevice: 50_000, maxAgeMinutes: 24 * 60 },
};

let dbCounter = 0;

/** A fresh, uniquely named database (fake-indexeddb), enrolled as device 3 of DEMO. */
export async function openEnrolledDb(): Promise<TillDb> {
  dbCounter += 1;
  const db = new TillDb(`till-test-${process.pid}-${dbCounter}-${Math.random().toString(36).slice(2)}`);
  await saveDevice(db, {
    deviceId: '01890a5d-ac96-774b-bcce-b302099a8058',
    deviceNo: 3,
    deviceName: 'Front till',
    token: 'test-token',
    tenantName: 'Demo Tenant',
    store: TEST_STORE,
    enrolledAt: new Date(0).toISOString(),
  });
  return db;
}

/** A valid one-line cash sale draft paying `unitPrice × qty` exactly. */
export function cashSaleDraft(unitPrice = 250, qty = 1): SaleDraft {
  const lines: SaleLine[] = [
    { lineNo: 1, productId: null, sku: 'TEST', name: 'Test item', qty, unitPrice, discount: 0, taxRateBp: 2300 },
  ];
  const totals = computeSaleTotals(lines, 'inclusive');
  return {
    id: uuidv7(),
    createdAt: new Date().toISOString(),
    currency: 'EUR',
    taxMode: 'inclusive',
    lines,
    totals,
    tenders: [{ id: uuidv7(), kind: 'cash', amount: totals.total, tendered: totals.total, change: 0 }],
  };
}

/** A one-line sale draft whose total is exactly what `tenders` pay, under a given sale id. */
export function saleDraftPaidBy(saleId: string, tenders: Tender[]): SaleDraft {
  const total = tenders.reduce((sum, tender) => sum + tender.amount, 0);
  const draft = cashSaleDraft(total);
  return { ...draft, id: saleId, tenders };
}

/** Records `count` sales one after another. */
export async function recordSales(db: TillDb, count: number): Promise<LedgerSale[]> {
  const sales: LedgerSale[] = [];
  for (let i = 0; i < count; i++) {
    sales.push(await recordSale(db, cashSaleDraft(100 + i), { storeCode: 'DEMO', deviceNo: 3 }));
  }
  return sales;
}
