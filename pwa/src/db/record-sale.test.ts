import { chainHash, GENESIS_HASH, verifyLink } from '@till/shared/core';
import { describe, expect, it, vi } from 'vitest';
import { cashSaleDraft, openEnrolledDb, recordSales } from '../test-support/ledger-fixtures.ts';
import { toWireSale } from './ledger.ts';
import { readChainHead, recordSale } from './record-sale.ts';

const recorder = { storeCode: 'DEMO', deviceNo: 3 };

describe('recordSale', () => {
  it('[I1] a completed sale and the chain head advance in one transaction', async () => {
    const db = await openEnrolledDb();
    const sales = await recordSales(db, 4);
    expect(sales.map((sale) => sale.deviceSeq)).toEqual([1, 2, 3, 4]);
    expect(sales[0]?.prevHash).toBe(GENESIS_HASH);
    let previous = GENESIS_HASH;
    for (const sale of sales) {
      const stored = await db.sales.get(sale.id);
      expect(stored?.syncState).toBe('unsent');
      expect(await verifyLink(toWireSale(sale), previous)).toEqual([]);
      previous = sale.hash;
    }
    expect(await readChainHead(db)).toEqual({ lastSeq: 4, lastHash: previous });
    expect(sales[3]?.receiptNo).toBe('DEMO-03-000004');
  });

  it('[I1] two concurrent sales get seqs 1 and 2 with an unbroken chain', async () => {
    const db = await openEnrolledDb();
    const transactions = vi.spyOn(db, 'transaction');
    const [first, second] = await Promise.all([
      recordSale(db, cashSaleDraft(100), recorder),
      recordSale(db, cashSaleDraft(200), recorder),
    ]);
    const bySeq = [first, second].sort((a, b) => a.deviceSeq - b.deviceSeq);
    expect(bySeq.map((sale) => sale.deviceSeq)).toEqual([1, 2]);
    expect(bySeq[0]?.prevHash).toBe(GENESIS_HASH);
    expect(bySeq[1]?.prevHash).toBe(bySeq[0]?.hash);
    for (const sale of bySeq) expect(await chainHash(toWireSale(sale))).toBe(sale.hash);
    expect(await db.sales.count()).toBe(2);
    expect((await readChainHead(db)).lastSeq).toBe(2);
    // Both sealed against the empty head; the loser saw the head move, wrote nothing, and retried.
    expect(transactions).toHaveBeenCalledTimes(3);
  });

  it('[I1] a failure inside the transaction leaves neither the sale nor the head advanced', async () => {
    const db = await openEnrolledDb();
    const [existing] = await recordSales(db, 1);
    const headBefore = await readChainHead(db);
    // Same sale id again: the head is written first, then adding the sale fails, so the whole
    // transaction must roll back.
    const duplicate = { ...cashSaleDraft(999), id: existing?.id ?? '' };
    await expect(recordSale(db, duplicate, recorder)).rejects.toThrow();
    expect(await readChainHead(db)).toEqual(headBefore);
    expect(await db.sales.count()).toBe(1);
    expect((await db.sales.get(existing?.id ?? ''))?.totals.total).toBe(100);
  });

  it('[I1] the sale recorded is the sale sealed: hash covers the stored content', async () => {
    const db = await openEnrolledDb();
    const sale = await recordSale(db, cashSaleDraft(1234, 2), recorder);
    const stored = await db.sales.get(sale.id);
    expect(stored?.totals.total).toBe(2468);
    expect(await chainHash(toWireSale(stored ?? sale))).toBe(sale.hash);
  });
});
