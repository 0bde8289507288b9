import { type ShiftEvent, uuidv7 } from '@till/shared';
import { expect, it } from 'vitest';
import { createEnrollmentCode } from '../../admin.ts';
import { hashEnrollmentCode, newDeviceToken, sha256HexSync } from '../../credentials.ts';
import type { ConsoleScope } from '../console/types.ts';
import type { ProductInput } from '../ledger-store.ts';
import { at, ContractShop, type ContractTill, cardOf, consolePaymentsOf, consoleSalesOf, T0 } from './fixtures.ts';
import type { CurrentLedger } from './ledger-contract.ts';

/** I10, SHIFT-2, MGR-8, AUTH-1: who may read what, and the writes that must happen once. */
export function scopeContract(ledger: CurrentLedger): void {
  it("[I10] a device or manager reads only its own tenant's and store's catalog, sales and payments, even naming others'", async () => {
    const alfa = await ContractShop.open(ledger(), 'ALFA');
    const alfaNorth = await alfa.addStore('ALFN');
    const bravo = await ContractShop.open(ledger(), 'BRAV');
    await ledger().saveProducts(alfa.store.id, [product('ALF-001', 'Alfa Latte')]);
    await ledger().saveProducts(alfaNorth.store.id, [product('ALN-001', 'North Mocha')]);
    await ledger().saveProducts(bravo.store.id, [product('BRA-001', 'Bravo Tea')]);
    const tillA = await alfa.enroll();
    const tillNorth = await alfaNorth.enroll();
    const tillB = await bravo.enroll();
    const saleA = await tillA.nextCardSale();
    await tillA.pushStored([saleA], { receivedAt: at(1) });
    await tillNorth.pushStored([await tillNorth.nextCardSale()], { receivedAt: at(1) });
    const before = await ledger().listPayments();

    const names = async (till: ContractTill) => (await ledger().getCatalog(till.device, 0)).products.map((p) => p.name);
    expect(await names(tillA)).toEqual(['Alfa Latte']);
    expect(await names(tillB)).toEqual(['Bravo Tea']);
    expect((await ledger().getCatalog(tillB.device, 0)).store.id).toBe(bravo.store.id);
    expect((await ledger().paymentUpdates(tillB.device, 0, 500)).payments).toEqual([]);
    expect((await ledger().paymentUpdates(tillA.device, 0, 500)).payments.map((p) => p.paymentId)).toEqual([
      cardOf(saleA).id,
    ]);

    // B's till names A's payment id in a sale of its own: flagged; A's payment is untouched and
    // still invisible to B.
    const forged = await tillB.nextCardSale({ id: cardOf(saleA).id });
    const answer = await tillB.pushStored([forged], { receivedAt: at(2) });
    expect(answer.results[0]?.flags).toContain('payment_unverified');
    expect((await ledger().paymentUpdates(tillB.device, 0, 500)).payments).toEqual([]);
    expect(await ledger().listPayments()).toEqual(before);

    // The console of a store sees that store only; a scope mixing B's tenant with A's store
    // (which the route layer never builds) reads nothing either.
    expect((await alfa.payments()).map((p) => p.id)).toEqual([cardOf(saleA).id]);
    expect((await alfa.sales()).map((s) => s.id)).toEqual([saleA.id]);
    expect(await bravo.payments()).toEqual([]);
    expect((await bravo.sales()).map((s) => s.id)).toEqual([forged.id]);
    const mixed: ConsoleScope = { ...bravo.scope, storeId: alfa.store.id, store: alfa.store };
    expect(await consoleSalesOf(ledger(), mixed)).toEqual([]);
    expect(await consolePaymentsOf(ledger(), mixed)).toEqual([]);
    // Refusing is as good as answering empty; answering with A's store or products is not.
    const mixedCatalog = await ledger()
      .getCatalog({ tenantId: bravo.tenantId, storeId: alfa.store.id }, 0)
      .then((catalog) => [catalog.store.id, ...catalog.products.map((p) => p.name)])
      .catch(() => []);
    expect(mixedCatalog).toEqual([]);
  });

  it('[SHIFT-2] shift events are idempotent by id; other content or another device is a conflict, never applied', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll('Front till');
    const other = await shop.enroll('Back till');
    const shiftId = uuidv7();
    const opened: ShiftEvent = {
      kind: 'opened',
      id: uuidv7(),
      shiftId,
      at: at(0),
      cashier: 'Sam',
      openingFloat: 10_000,
    };
    const payout: ShiftEvent = {
      kind: 'cash_movement',
      id: uuidv7(),
      shiftId,
      at: at(10),
      amount: -2_000,
      reason: 'Window cleaner',
    };
    const closed: ShiftEvent = {
      kind: 'closed',
      id: uuidv7(),
      shiftId,
      at: at(20),
      countedCash: 8_000,
      expectedCash: 8_000,
      saleCount: 0,
      lastSeq: 0,
      reason: '',
    };
    const statuses = async (device: ContractTill, events: ShiftEvent[], receivedAt: string) =>
      (await ledger().pushShiftEvents(device.device, events, receivedAt)).map((result) => result.status);

    // In any order (the close first), then all of them again.
    expect(await statuses(till, [closed, opened, payout], at(30))).toEqual(['new', 'new', 'new']);
    expect(await statuses(till, [opened, payout, closed], at(31))).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await statuses(till, [{ ...payout, amount: -5_000 }], at(32))).toEqual(['conflict']);
    const intruder: ShiftEvent = { ...payout, id: uuidv7(), amount: 1_000 };
    expect(await statuses(other, [intruder], at(33))).toEqual(['conflict']);

    const shifts = await ledger().shiftRows(shop.scope, {
      range: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' },
      includeOpen: true,
    });
    expect(shifts).toMatchObject([
      {
        shiftId,
        deviceId: till.deviceId,
        cashier: 'Sam',
        status: 'closed',
        openingFloat: 10_000,
        cashMovements: -2_000,
        countedCash: 8_000,
      },
    ]);
  });

  it('[MGR-8] a console payment action writes its audit row in the same transaction, once', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const sales = [await till.nextCardSale(), await till.nextCardSale()];
    const [first, second] = sales.map((sale) => cardOf(sale).id);
    if (first === undefined || second === undefined) throw new Error('two payments expected');
    await till.pushStored(sales, { receivedAt: at(1) });
    const act = (paymentId: string, action: 'write_off' | 'resolve_paid_elsewhere', now: string) =>
      ledger().actOnPayment(shop.scope, { action, paymentId, reason: 'Customer left without paying', now });
    const audited = async (paymentId: string) =>
      (await ledger().auditLog(shop.scope, { range: {}, action: undefined, limit: 100, before: undefined })).entries
        .filter((entry) => entry.targetId === paymentId)
        .map((entry) => ({ action: entry.action, reason: entry.reason, at: entry.at, detail: entry.detail }));

    expect(await act(first, 'write_off', at(100))).toMatchObject({ outcome: 'done', state: 'written_off' });
    const payment = (await shop.payments()).find((p) => p.id === first);
    expect(payment).toMatchObject({ state: 'written_off', followUp: 'written_off', followUpAt: at(100) });
    expect(await audited(first)).toEqual([
      {
        action: 'payment.write_off',
        reason: 'Customer left without paying',
        at: at(100),
        detail: expect.objectContaining({ from: 'pending', to: 'written_off', amount: payment?.amount }),
      },
    ]);
    // Refused (already written off): no change, no audit row.
    expect(await act(first, 'write_off', at(101))).toMatchObject({ outcome: 'not_allowed' });
    expect(await audited(first)).toHaveLength(1);

    // Two managers act on one payment at once: one action is applied and audited, the other
    // is refused and leaves no trace.
    const race = await Promise.all([act(second, 'write_off', at(102)), act(second, 'resolve_paid_elsewhere', at(102))]);
    const done = race.filter((result) => result.outcome === 'done');
    expect(done).toHaveLength(1);
    const doneAction = race[0]?.outcome === 'done' ? 'payment.write_off' : 'payment.resolve_paid_elsewhere';
    expect((await audited(second)).map((entry) => entry.action)).toEqual([doneAction]);
  });

  it('[AUTH-1] an enrollment code is spent once: concurrent enrollments with one code enroll exactly one device', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const { code } = await createEnrollmentCode(ledger(), shop.store.id, 60, new Date(T0));
    const enroll = (codeText: string, name: string, now = at(1)) =>
      ledger().enrollDevice({
        codeHash: hashEnrollmentCode(codeText),
        deviceId: uuidv7(),
        deviceName: name,
        appVersion: '0.1.0-contract',
        tokenHash: sha256HexSync(newDeviceToken()),
        now,
      });

    const attempts = await Promise.all([1, 2, 3, 4].map((n) => enroll(code, `Till ${n}`)));
    const enrolled = attempts.filter((device) => device !== undefined);
    expect(enrolled).toHaveLength(1);
    expect(enrolled[0]).toMatchObject({ deviceNo: 1, store: { id: shop.store.id } });
    expect((await ledger().consoleDevices(shop.scope, at(0))).map((d) => d.deviceId)).toEqual([enrolled[0]?.deviceId]);
    expect(await enroll(code, 'Later till', at(2))).toBeUndefined();

    // Distinct codes raced: every one enrolls, each device with its own number.
    const codes = await Promise.all(
      [1, 2, 3].map(async () => (await createEnrollmentCode(ledger(), shop.store.id, 60, new Date(T0))).code),
    );
    const more = await Promise.all(codes.map((c, i) => enroll(c, `Till ${i + 10}`)));
    expect(more.map((device) => device?.deviceNo).sort()).toEqual([2, 3, 4]);
    // An expired code is refused like a used one.
    const { code: stale } = await createEnrollmentCode(ledger(), shop.store.id, 1, new Date(T0));
    expect(await enroll(stale, 'Late till', at(61))).toBeUndefined();
  });
}

function product(sku: string, name: string): ProductInput {
  return { id: uuidv7(), sku, name, category: 'Coffee', barcodes: [], price: 450, taxRateBp: 825, active: true };
}
