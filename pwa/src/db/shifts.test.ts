import { chainHash, GENESIS_HASH, type ShiftClosed, uuidv7, verifyLink } from '@till/shared/core';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cashSaleDraft, openEnrolledDb, recordSales } from '../test-support/ledger-fixtures.ts';
import { toWireSale } from './ledger.ts';
import { recordSale } from './record-sale.ts';
import {
  closeShift,
  getOpenShift,
  openShift,
  readShiftCash,
  recordCashMovement,
  ShiftError,
  shiftCash,
} from './shifts.ts';
import { type LedgerSale, TillDb } from './till-db.ts';

const recorder = { storeCode: 'DEMO', deviceNo: 3 };
const AT = new Date('2025-03-01T09:00:00Z');

let db: TillDb;
beforeEach(async () => {
  db = await openEnrolledDb();
});
afterEach(() => {
  db.close();
});

/** Ids from a list, so a test can make one collide with a row that exists. */
function ids(...list: string[]): () => string {
  return () => list.shift() ?? uuidv7();
}

async function closedEvent() {
  return (await db.shiftEvents.toArray()).find((record) => record.kind === 'closed');
}

async function tables() {
  return { shifts: await db.shifts.toArray(), events: await db.shiftEvents.toArray() };
}

describe('opening, paying in/out and closing a shift', () => {
  it('[SHIFT-1] opening writes the shift and its event in one transaction', async () => {
    const transactions = vi.spyOn(db, 'transaction');
    const shift = await openShift(db, { cashier: '  Anna ', openingFloat: 15_000 }, AT);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(shift).toMatchObject({ status: 'open', cashier: 'Anna', openingFloat: 15_000, cashMovements: 0 });
    const [event] = await db.shiftEvents.toArray();
    expect(event).toMatchObject({ shiftId: shift.id, kind: 'opened', at: AT.toISOString(), syncState: 'unsent' });
    expect(event?.event).toEqual({
      kind: 'opened',
      id: event?.id,
      shiftId: shift.id,
      at: AT.toISOString(),
      cashier: 'Anna',
      openingFloat: 15_000,
    });
  });

  it('[SHIFT-1] if writing the event fails, the shift is not opened either', async () => {
    const first = await openShift(db, { cashier: 'Anna', openingFloat: 0 }, AT);
    await closeShift(db, { countedCash: 0, reason: '' }, AT);
    const before = await tables();
    const takenEventId = before.events[0]?.id ?? '';
    await expect(openShift(db, { cashier: 'Ben', openingFloat: 100 }, AT, ids(takenEventId))).rejects.toThrow();
    expect(await tables()).toEqual(before);
    expect(await getOpenShift(db)).toBeUndefined();
    expect(first.id).toBeTruthy();
  });

  it('[SHIFT-1] at most one shift is open per till', async () => {
    await openShift(db, { cashier: 'Anna', openingFloat: 0 }, AT);
    const before = await tables();
    await expect(openShift(db, { cashier: 'Ben', openingFloat: 0 }, AT)).rejects.toMatchObject({ code: 'shift_open' });
    expect(await tables()).toEqual(before);
  });

  it('[SHIFT-1] bad input is refused before anything is written', async () => {
    await expect(openShift(db, { cashier: ' ', openingFloat: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(openShift(db, { cashier: 'Anna', openingFloat: -1 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(openShift(db, { cashier: 'Anna', openingFloat: 1.5 })).rejects.toBeInstanceOf(ShiftError);
    await expect(recordCashMovement(db, { amount: 500, reason: 'Float top-up' })).rejects.toMatchObject({
      code: 'no_open_shift',
    });
    await openShift(db, { cashier: 'Anna', openingFloat: 0 });
    await expect(recordCashMovement(db, { amount: 500, reason: '  ' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(recordCashMovement(db, { amount: 0, reason: 'Nothing' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await db.shiftEvents.count()).toBe(1);
  });

  it('[SHIFT-1] closing writes the closed shift and its event in one transaction; a failed write leaves it open', async () => {
    const shift = await openShift(db, { cashier: 'Anna', openingFloat: 1_000 }, AT);
    const openedEventId = (await db.shiftEvents.toArray())[0]?.id ?? '';
    const before = await tables();
    await expect(closeShift(db, { countedCash: 1_000, reason: '' }, AT, ids(openedEventId))).rejects.toThrow();
    expect(await tables()).toEqual(before);

    const transactions = vi.spyOn(db, 'transaction');
    const closed = await closeShift(db, { countedCash: 1_000, reason: 'ignored when it balances' }, AT);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(closed.shift).toMatchObject({ id: shift.id, status: 'closed', countedCash: 1_000, expectedCash: 1_000 });
    expect(closed.shift.reason).toBe('');
    expect(await getOpenShift(db)).toBeUndefined();
    expect((await closedEvent())?.syncState).toBe('unsent');
  });
});

describe('sales in a shift', () => {
  it('[SHIFT-3] sales recorded while a shift is open carry its shiftId and cashier, and still hash-verify', async () => {
    const [before] = await recordSales(db, 1);
    const shift = await openShift(db, { cashier: 'Anna', openingFloat: 0 });
    const during = await recordSales(db, 2);
    await closeShift(db, { countedCash: during.reduce((sum, sale) => sum + sale.totals.total, 0), reason: '' });
    const [after] = await recordSales(db, 1);

    expect(before?.shiftId).toBeUndefined();
    expect(after?.shiftId).toBeUndefined();
    expect(during.map((sale) => [sale.shiftId, sale.cashier])).toEqual([
      [shift.id, 'Anna'],
      [shift.id, 'Anna'],
    ]);
    let previous = GENESIS_HASH;
    for (const sale of await db.sales.orderBy('deviceSeq').toArray()) {
      const wire = toWireSale(sale);
      expect(wire.shiftId).toBe(sale.shiftId);
      expect(wire.cashier).toBe(sale.cashier);
      expect(await verifyLink(wire, previous)).toEqual([]);
      previous = sale.hash;
    }
  });

  it('[SHIFT-3] a shift opened while a sale is being sealed: the sale is sealed again and belongs to it', async () => {
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    let opened = false;
    vi.spyOn(db, 'transaction').mockImplementation((async (...args: unknown[]) => {
      if (!opened) {
        opened = true;
        await openShift(db, { cashier: 'Anna', openingFloat: 0 });
      }
      return transaction(...args);
    }) as unknown as typeof db.transaction);
    const sale = await recordSale(db, cashSaleDraft(300), recorder);
    expect(sale.cashier).toBe('Anna');
    expect(sale.shiftId).toBe((await getOpenShift(db))?.id);
    expect(await chainHash(toWireSale(sale))).toBe(sale.hash);
  });

  it('[SHIFT-3] expected cash = float + cash tenders of the shift (refunds negative) + movements', async () => {
    await recordSales(db, 1); // before the shift: not counted
    await openShift(db, { cashier: 'Anna', openingFloat: 15_000 }, AT);
    await recordSale(db, cashSaleDraft(2_500), recorder);
    await recordSale(db, cashSaleDraft(1_000, -1), recorder); // a cash refund: −10.00
    await recordCashMovement(db, { amount: 2_000, reason: 'Float top-up' }, AT);
    await recordCashMovement(db, { amount: -500, reason: 'Milk' }, AT);
    const open = await getOpenShift(db);
    if (!open) throw new Error('no open shift');
    expect(await readShiftCash(db, open)).toEqual({
      openingFloat: 15_000,
      cashSales: 1_500,
      cashMovements: 1_500,
      expectedCash: 18_000,
      saleCount: 2,
    });

    const before = await tables();
    await expect(closeShift(db, { countedCash: 17_900, reason: '' }, AT)).rejects.toMatchObject({
      code: 'reason_required',
    });
    expect(await tables()).toEqual(before);

    const { shift } = await closeShift(db, { countedCash: 17_900, reason: 'Gave wrong change' }, AT);
    expect(shift).toMatchObject({ expectedCash: 18_000, countedCash: 17_900, saleCount: 2, lastSeq: 3 });
    const closed = (await closedEvent())?.event as ShiftClosed;
    expect(closed).toMatchObject({
      countedCash: 17_900,
      expectedCash: 18_000,
      saleCount: 2,
      lastSeq: 3,
      reason: 'Gave wrong change',
    });
  });

  it('[SHIFT-3] only cash tenders count: card parts of a split sale do not', () => {
    const sales: Pick<LedgerSale, 'tenders'>[] = [
      {
        tenders: [
          { id: uuidv7(), kind: 'cash', amount: 700, tendered: 1_000, change: 300 },
          {
            id: uuidv7(),
            kind: 'card',
            amount: 1_300,
            brand: 'visa',
            last4: '4242',
            gatewayToken: 'pm_card_visa',
            entry: 'stored',
            gatewayRef: null,
            storedReason: 'offline',
          },
        ],
      },
    ];
    expect(shiftCash({ openingFloat: 100, cashMovements: -50 }, sales)).toMatchObject({
      cashSales: 700,
      expectedCash: 750,
      saleCount: 1,
    });
  });
});

describe('schema version 3', () => {
  it('adds shifts and shift events and keeps every version 2 row', async () => {
    const name = `till-upgrade-v3-${Math.random().toString(36).slice(2)}`;
    const v2 = new Dexie(name);
    v2.version(1).stores({
      device: 'deviceId',
      chain: 'key',
      sales: 'id, &deviceSeq, [syncState+deviceSeq], createdAt',
      catalog: 'id, category, *barcodes, sku',
      meta: 'key',
    });
    v2.version(2).stores({ cardPayments: 'id, saleId, state, createdAt' });
    await v2.table('sales').put({ id: 'old-sale', deviceSeq: 1, syncState: 'unsent', createdAt: AT.toISOString() });
    v2.close();

    const upgraded = new TillDb(name);
    expect((await upgraded.sales.get('old-sale'))?.deviceSeq).toBe(1);
    expect(await upgraded.shifts.count()).toBe(0);
    expect(await upgraded.sales.where('shiftId').equals('any').count()).toBe(0);
    expect(upgraded.verno).toBe(3);
    upgraded.close();
  });
});
