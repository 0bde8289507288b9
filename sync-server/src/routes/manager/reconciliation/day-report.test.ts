import {
  API_PREFIX,
  type DayReport,
  type DaySummary,
  GENESIS_HASH,
  type PaymentActionResponse,
  type Sale,
  type ShiftsResponse,
  uuidv7,
} from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../../../test/gateway-helper.ts';
import { cardOf, startTestServer, type TestServer, type TestTill } from '../../../../test/helper.ts';
import { type ManagerClient, signIn, startOtherTenant } from '../../../../test/manager-helper.ts';
import { madeAt, okJson, pushShiftEvents } from '../../../../test/reconciliation-helper.ts';

/**
 * One store-time day (2026-03-01 in New York, the demo store's zone) built through the real
 * APIs, with every kind of trouble the reconciliation must name, and its figures asserted
 * exactly. Every sale is the demo basket: 13.53 (tax 1.03, discount 0.25).
 *
 * Front till (shift SA, Ana, float 100.00, paid out 5.00, counted 135.59 = what the till expected):
 *   s1 card 01:00 (no shift)  → its stored payment expires before it is forwarded → expired
 *   s2 cash 09:00, s3 card 09:05 → captured, s4 card 10:00 → declined after forwarding,
 *   s5 cash 11:00 — held back by the till (a gap), s6 cash 11:30 (flagged seq_gap),
 *   s7 card 12:00 with a token the gateway does not know → quarantined.
 *   Batches: [s1 s2 s3 s4], [s4 again (duplicate), s6, s7].
 * Back till (shift SB, Ben, float 50.00, still open): b1 cash 13:00, b2 cash 13:30 chained to the
 *   genesis hash (hash break), b3 card 14:00 pushed after the worker ran → pending, expiring;
 *   it reports 1 unsent sale and storage that is not persistent.
 * Side till: enrolled at 09:00, never heard from (silent after SILENT_DEVICE_MINUTES = 10).
 * A live capture of 20.00 from the Back till whose sale never arrives (charged without a sale).
 */
const DAY = '2026-03-01';
const SALE = 1353;
const TAX = 103;
const DISCOUNT = 25;

let gateway: TestGateway;
let server: TestServer;
let manager: ManagerClient;
let front: TestTill;
let back: TestTill;
const sales: Record<string, Sale> = {};
const shiftA = uuidv7();
const shiftB = uuidv7();
const ana = { shiftId: shiftA, cashier: 'Ana' };
const ben = { shiftId: shiftB, cashier: 'Ben' };

const report = async (): Promise<DayReport> => okJson(await manager.get(manager.store('/reports/day'), { date: DAY }));
const checksOf = (day: DayReport) => Object.fromEntries(day.checks.map((check) => [check.id, check.ok]));
const worker = () => {
  if (server.app.captureWorker === null) throw new Error('no capture worker');
  return server.app.captureWorker;
};
const expectPushed = async (till: TestTill, body: Parameters<TestTill['push']>[0]) => {
  const response = await till.push(body);
  expect(response.statusCode, response.body).toBe(200);
};

beforeAll(async () => {
  gateway = await startTestGateway();
  server = await startTestServer(gatewayEnv(gateway, { EXPIRY_WARNING_MINUTES: '720', SILENT_DEVICE_MINUTES: '10' }));
  front = await server.enroll('Front till');
  back = await server.enroll('Back till');
  await server.enroll('Side till');

  const live = await server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/payments/capture`,
    headers: back.headers,
    payload: {
      paymentId: uuidv7(),
      saleId: uuidv7(),
      amount: 2000,
      currency: 'USD',
      gatewayToken: 'pm_card_visa',
      brand: 'visa',
      last4: '4242',
      reference: 'DEMO-02-000099',
    },
  });
  expect(live.json()).toMatchObject({ status: 'captured' });
  server.clock.advance(15 * 60_000); // 09:15Z on 2 March: everything below arrives the next morning

  sales.s1 = await front.nextCardSale({}, madeAt('2026-03-01T06:00:00.000Z'));
  sales.s2 = await front.nextSale(madeAt('2026-03-01T14:00:00.000Z', ana));
  sales.s3 = await front.nextCardSale({}, madeAt('2026-03-01T14:05:00.000Z', ana));
  sales.s4 = await front.nextCardSale(
    { gatewayToken: 'pm_card_chargeDeclined' },
    madeAt('2026-03-01T15:00:00.000Z', ana),
  );
  sales.s5 = await front.nextSale(madeAt('2026-03-01T16:00:00.000Z', ana));
  sales.s6 = await front.nextSale(madeAt('2026-03-01T16:30:00.000Z', ana));
  sales.s7 = await front.nextCardSale(
    { gatewayToken: 'pm_card_noSuchTokenAnywhere' },
    madeAt('2026-03-01T17:00:00.000Z', ana),
  );
  const { s1, s2, s3, s4, s6, s7 } = sales as Record<string, Sale>;
  await expectPushed(front, front.pushBody([s1, s2, s3, s4] as Sale[]));
  await expectPushed(front, front.pushBody([s4, s6, s7] as Sale[]));
  await pushShiftEvents(front, [
    {
      kind: 'opened',
      id: uuidv7(),
      shiftId: shiftA,
      at: '2026-03-01T13:55:00.000Z',
      cashier: 'Ana',
      openingFloat: 10_000,
    },
    {
      kind: 'cash_movement',
      id: uuidv7(),
      shiftId: shiftA,
      at: '2026-03-01T15:30:00.000Z',
      amount: -500,
      reason: 'Milk',
    },
    {
      kind: 'closed',
      id: uuidv7(),
      shiftId: shiftA,
      at: '2026-03-01T17:30:00.000Z',
      countedCash: 13_559,
      expectedCash: 13_559,
      saleCount: 6,
      lastSeq: 7,
      reason: '',
    },
  ]);

  sales.b1 = await back.nextSale(madeAt('2026-03-01T18:00:00.000Z', ben));
  sales.b2 = await back.makeSale(2, GENESIS_HASH, madeAt('2026-03-01T18:30:00.000Z', ben));
  back.seq = 2;
  back.prevHash = sales.b2.hash;
  await expectPushed(back, back.pushBody([sales.b1, sales.b2]));
  await pushShiftEvents(back, [
    {
      kind: 'opened',
      id: uuidv7(),
      shiftId: shiftB,
      at: '2026-03-01T17:55:00.000Z',
      cashier: 'Ben',
      openingFloat: 5_000,
    },
  ]);

  await worker().runOnce(20);

  sales.b3 = await back.nextCardSale({}, madeAt('2026-03-01T19:00:00.000Z', ben));
  await expectPushed(back, {
    ...back.pushBody([sales.b3]),
    deviceStatus: {
      appVersion: '0.1.0-test',
      unsentCount: 1,
      oldestUnsentAt: '2026-03-01T19:30:00.000Z',
      storagePersisted: false,
    },
  });
  manager = await signIn(server);
});

afterAll(async () => {
  await server?.close();
  await gateway?.close();
});

describe('the end-of-day reconciliation of a troubled day', () => {
  it('[MGR-9][I7] Today: sales, tenders, and card outcomes that add up to the card total', async () => {
    const today = okJson<DaySummary>(await manager.get(manager.store('/today'), { date: DAY }));
    expect(today).toMatchObject({
      date: DAY,
      timezone: 'America/New_York',
      currency: 'USD',
      from: '2026-03-01T05:00:00.000Z',
      to: '2026-03-02T05:00:00.000Z',
      sales: { count: 9, total: 9 * SALE, tax: 9 * TAX, discount: 9 * DISCOUNT },
      tenders: { cash: { count: 4, amount: 4 * SALE }, card: { count: 5, amount: 5 * SALE } },
    });
    expect(today.cardOutcomes).toEqual({
      pending: { count: 1, amount: SALE },
      unknown: { count: 0, amount: 0 },
      quarantined: { count: 1, amount: SALE },
      captured: { count: 1, amount: SALE },
      declined: { count: 1, amount: SALE },
      expired: { count: 1, amount: SALE },
      written_off: { count: 0, amount: 0 },
    });
    // MGR-9: the parts are the card total; the 20.00 charged without a sale is not among them.
    const parts = Object.values(today.cardOutcomes).reduce((sum, part) => sum + part.amount, 0);
    expect(parts).toBe(today.tenders.card.amount);
    expect(today.byDevice).toEqual([
      expect.objectContaining({ name: 'Front till', count: 6, total: 6 * SALE, cash: 2 * SALE, card: 4 * SALE }),
      expect.objectContaining({ name: 'Back till', count: 3, total: 3 * SALE, cash: 2 * SALE, card: SALE }),
    ]);
    const busyHours = today.salesPerHour.filter((hour) => hour.count > 0);
    expect(today.salesPerHour).toHaveLength(24);
    expect(busyHours.map((hour) => [hour.hour, hour.count])).toEqual([
      [1, 1],
      [9, 2],
      [10, 1],
      [11, 1],
      [12, 1],
      [13, 2],
      [14, 1],
    ]);
    // Every payment of the day's sales reached the server the next morning: nothing waited during the day.
    expect(today.backlog).toHaveLength(25);
    expect(today.backlog.every((point) => point.count === 0 && point.amount === 0)).toBe(true);
  });

  it('[MGR-9] Today: alerts for what needs a manager, critical first, in words', async () => {
    const today = okJson<DaySummary>(await manager.get(manager.store('/today'), { date: DAY }));
    expect(today.alerts.map((alert) => [alert.kind, alert.severity, alert.count, alert.amount])).toEqual([
      ['expiring_payment', 'critical', 1, SALE],
      ['unknown_payment', 'critical', 1, 2000],
      ['quarantined_payment', 'critical', 1, SALE],
      ['declined_after_forwarding', 'critical', 1, SALE],
      ['sequence_issue', 'critical', 2, null],
      ['flagged_sale', 'warning', 2, 2 * SALE],
      ['silent_device', 'warning', 1, null],
      ['storage_not_persisted', 'warning', 1, null],
      ['drawer_over_short', 'warning', 1, SALE],
    ]);
    const message = (kind: string) => today.alerts.find((alert) => alert.kind === kind)?.message;
    expect(message('expiring_payment')).toBe('1 stored card payment expires within 12 h — $13.53');
    expect(message('unknown_payment')).toBe('1 card charged whose sale has not arrived — $20.00');
    expect(message('sequence_issue')).toBe(
      '2 open sequence problems on Front till and Back till: 1 gap in the sale numbers (sales not received), 1 broken hash chain',
    );
    expect(message('silent_device')).toBe('1 till not heard from for over 10 min: Side till');
    expect(message('drawer_over_short')).toBe(
      '1 closed drawer over or short, off by $13.53 in all; 1 still waits for sales from the till',
    );
  });

  it('[MGR-11][SHIFT-3] the day report names every problem, with exact figures, and does not balance', async () => {
    const day = await report();
    expect(day).toMatchObject({
      storeCode: 'DEMO',
      date: DAY,
      sales: { count: 9, total: 9 * SALE, tax: 9 * TAX, discount: 9 * DISCOUNT, flagged: 2 },
      tenders: { cash: { count: 4, amount: 4 * SALE }, card: { count: 5, amount: 5 * SALE } },
      declinedAfterForwarding: {
        count: 1,
        amount: SALE,
        writtenOff: { count: 0, amount: 0 },
        paidElsewhere: { count: 0, amount: 0 },
        open: { count: 1, amount: SALE },
      },
      batches: { count: 4, sales: 10, duplicates: 1, flagged: 2 },
      sequenceIssues: { open: 2, resolved: 0 },
      gateway: { captured: { count: 1, amount: SALE }, withReference: 1 },
      balances: false,
    });
    expect(
      day.devices.map((d) => [d.name, d.saleCount, d.total, d.firstSeq, d.lastSeq, d.missingSeqs, d.unsentReported]),
    ).toEqual([
      ['Front till', 6, 6 * SALE, 1, 7, 1, null],
      ['Back till', 3, 3 * SALE, 1, 3, 0, 1],
      ['Side till', 0, 0, null, null, 0, null],
    ]);
    // SHIFT-3: the server counts the cash it has received; the till's own figures sit beside it.
    expect(day.drawers).toEqual([
      expect.objectContaining({
        shiftId: shiftB,
        status: 'open',
        cashier: 'Ben',
        openingFloat: 5_000,
        cashSales: 2 * SALE,
        expectedCash: 5_000 + 2 * SALE,
        overShort: null,
        serverSaleCount: 3,
        missingSales: 0,
      }),
      expect.objectContaining({
        shiftId: shiftA,
        status: 'closed',
        cashier: 'Ana',
        openingFloat: 10_000,
        cashSales: 2 * SALE,
        cashMovements: -500,
        expectedCash: 12_206,
        countedCash: 13_559,
        overShort: 1_353,
        reason: null,
        tillExpectedCash: 13_559,
        tillSaleCount: 6,
        serverSaleCount: 5,
        missingSales: 1,
      }),
    ]);
    expect(checksOf(day)).toEqual({
      card_total_splits: true,
      all_sales_in: false,
      no_sequence_issues: false,
      captures_final: false,
      declines_followed_up: false,
      drawers_balance: false,
      gateway_references: true,
    });
    const detail = (id: string) => day.checks.find((check) => check.id === id)?.detail;
    expect(detail('card_total_splits')).toBe(
      'Card tenders $67.65 = pending $13.53 + quarantined $13.53 + captured $13.53 + declined $13.53 + expired $13.53',
    );
    expect(detail('all_sales_in')).toBe(
      "1 sale number missing between the day's first and last (Front till: 1); Back till reports 1 unsent sale",
    );
    expect(detail('captures_final')).toBe('Not final yet: 1 pending ($13.53), 1 quarantined ($13.53)');
    expect(detail('drawers_balance')).toBe(
      '1 closed drawer; without a reason: Front till (Ana) over $13.53, 1 sale not received yet; 1 drawer still open',
    );
  });

  it('[MGR-11][SHIFT-3] once the missing sale arrives, the till reports nothing unsent and the manager follows up, those checks pass', async () => {
    await expectPushed(front, front.pushBody([sales.s5 as Sale]));
    await expectPushed(back, {
      ...back.pushBody([]),
      deviceStatus: { appVersion: '0.1.0-test', unsentCount: 0, oldestUnsentAt: null, storagePersisted: true },
    });
    const actions = okJson<PaymentActionResponse>(
      await manager.send('POST', manager.store('/payments/actions'), {
        action: 'write_off',
        paymentIds: [cardOf(sales.s4 as Sale).id, cardOf(sales.s7 as Sale).id, cardOf(sales.b3 as Sale).id],
        reason: 'Customer will not come back',
      }),
    );
    expect(actions.results.map((result) => result.outcome)).toEqual(['done', 'done', 'done']);

    const day = await report();
    expect(day.sales).toMatchObject({ count: 10, total: 10 * SALE });
    expect(day.tenders.cash).toEqual({ count: 5, amount: 5 * SALE });
    expect(day.cardOutcomes).toMatchObject({
      pending: { count: 0, amount: 0 },
      quarantined: { count: 0, amount: 0 },
      declined: { count: 1, amount: SALE },
      written_off: { count: 2, amount: 2 * SALE },
    });
    expect(day.declinedAfterForwarding).toMatchObject({
      writtenOff: { count: 1, amount: SALE },
      open: { count: 0, amount: 0 },
    });
    expect(day.devices[0]).toMatchObject({ name: 'Front till', saleCount: 7, missingSeqs: 0 });
    expect(day.batches).toEqual({ count: 5, sales: 11, duplicates: 1, flagged: 2 });
    expect(day.sequenceIssues).toEqual({ open: 1, resolved: 1 });
    expect(day.drawers.find((shift) => shift.shiftId === shiftA)).toMatchObject({
      expectedCash: 13_559,
      overShort: 0,
      serverSaleCount: 6,
      missingSales: 0,
    });
    // The hash break stays open: a broken chain is a finding, not something a later push can mend.
    expect(checksOf(day)).toEqual({
      card_total_splits: true,
      all_sales_in: true,
      no_sequence_issues: false,
      captures_final: true,
      declines_followed_up: true,
      drawers_balance: true,
      gateway_references: true,
    });
    expect(day.balances).toBe(false);
  });

  it('[SHIFT-3] the drawers page lists the shifts of the range with the same figures', async () => {
    const { shifts } = okJson<ShiftsResponse>(await manager.get(manager.store('/shifts'), { from: DAY, to: DAY }));
    expect(shifts.map((shift) => [shift.cashier, shift.status, shift.expectedCash, shift.overShort])).toEqual([
      ['Ben', 'open', 5_000 + 2 * SALE, null],
      ['Ana', 'closed', 13_559, 0],
    ]);
    const nextDay = okJson<ShiftsResponse>(
      await manager.get(manager.store('/shifts'), { from: '2026-03-02', to: '2026-03-02' }),
    );
    expect(nextDay.shifts.map((shift) => shift.cashier)).toEqual(['Ben']); // still open, so still listed
  });
});

describe('a clean day', () => {
  it('[MGR-11] balances: every check passes', async () => {
    const other = await startOtherTenant(server, 'clean');
    const shiftId = uuidv7();
    const zoe = { shiftId, cashier: 'Zoe' };
    const cash = await other.till.nextSale(madeAt('2026-03-01T15:00:00.000Z', zoe));
    const card = await other.till.nextCardSale({}, madeAt('2026-03-01T15:10:00.000Z', zoe));
    await expectPushed(other.till, {
      ...other.till.pushBody([cash, card]),
      deviceStatus: { appVersion: '0.1.0-test', unsentCount: 0, oldestUnsentAt: null, storagePersisted: true },
    });
    await pushShiftEvents(other.till, [
      { kind: 'opened', id: uuidv7(), shiftId, at: '2026-03-01T14:00:00.000Z', cashier: 'Zoe', openingFloat: 10_000 },
      {
        kind: 'closed',
        id: uuidv7(),
        shiftId,
        at: '2026-03-01T20:00:00.000Z',
        countedCash: 10_000 + SALE,
        expectedCash: 10_000 + SALE,
        saleCount: 2,
        lastSeq: 2,
        reason: '',
      },
    ]);
    await worker().runOnce(20);

    const day = okJson<DayReport>(await other.owner.get(`/stores/${other.store.id}/reports/day`, { date: DAY }));
    expect(day).toMatchObject({
      storeCode: 'TCLEAN',
      sales: { count: 2, total: 2 * SALE, flagged: 0 },
      cardOutcomes: { captured: { count: 1, amount: SALE } },
      gateway: { captured: { count: 1, amount: SALE }, withReference: 1 },
      drawers: [expect.objectContaining({ expectedCash: 10_000 + SALE, overShort: 0 })],
    });
    expect(day.checks.filter((check) => !check.ok)).toEqual([]);
    expect(day.checks.map((check) => check.id)).toEqual([
      'card_total_splits',
      'all_sales_in',
      'no_sequence_issues',
      'captures_final',
      'declines_followed_up',
      'drawers_balance',
      'gateway_references',
    ]);
    expect(day.balances).toBe(true);
  });
});
