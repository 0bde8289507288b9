import { type BatchDetail, type BatchesResponse, type SaleDetail, type SalesResponse, sealRecord } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, startTestServer, type TestServer, type TestTill } from '../../../../test/helper.ts';
import { type ManagerClient, signIn } from '../../../../test/manager-helper.ts';

/**
 * One till's day: cash sales, a card sale, a flagged sale (wrong totals), a sale from the
 * evening before (store time), a gap in the chain, a duplicate and a conflicting copy.
 */
let server: TestServer;
let owner: ManagerClient;
let till: TestTill;
let second: TestTill;
const batchIds: string[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  owner = await signIn(server);
  till = await server.enroll('Front till');
  second = await server.enroll('Side till');
  // 04:00 UTC on 1 March is 23:00 on 28 February in New York: the evening before, store time.
  const evening = await till.nextSale((sale) => ({ ...sale, createdAt: '2026-03-01T04:00:00.000Z' }));
  const cash = await till.nextSale();
  const card = await till.nextCardSale();
  const wrong = await till.nextSale((sale) => ({ ...sale, totals: { ...sale.totals, total: sale.totals.total + 1 } }));
  const first = till.pushBody([evening, cash]);
  await till.push(first);
  server.clock.advance(60_000);
  const secondBatch = till.pushBody([card, wrong, cash]); // cash again: a duplicate
  await till.push(secondBatch);
  await till.nextSale(); // seq 5 never arrives: a gap
  const afterGap = await till.nextSale();
  // The same id as `cash` with other content: kept aside as a conflicting copy.
  const { hash: _hash, ...unsealedCash } = cash;
  const conflicting = await sealRecord({ ...unsealedCash, receiptNo: 'ALTERED-1' });
  server.clock.advance(60_000);
  const third = till.pushBody([afterGap, conflicting]);
  await till.push(third);
  const other = await second.nextSale();
  server.clock.advance(60_000);
  const fourth = second.pushBody([other]);
  await second.push(fourth);
  batchIds.push(first.batchId, secondBatch.batchId, third.batchId, fourth.batchId);
  Object.assign(ids, {
    evening: evening.id,
    cash: cash.id,
    card: card.id,
    wrong: wrong.id,
    afterGap: afterGap.id,
    other: other.id,
    cashReceipt: cash.receiptNo,
    cardPayment: cardOf(card).id,
  });
});
afterAll(async () => {
  await server.close();
});

const sales = async (query: Record<string, string | number | boolean> = {}) => {
  const response = await owner.get(owner.store('/sales'), query);
  expect(response.statusCode).toBe(200);
  return response.json<SalesResponse>();
};
const saleIds = async (query: Record<string, string | number | boolean> = {}) =>
  (await sales(query)).sales.map((sale) => sale.id);

describe('console: batches', () => {
  it('[MGR-5] lists batches newest first, a page at a time, and by device', async () => {
    const first = (await owner.get(owner.store('/batches'), { limit: 3 })).json<BatchesResponse>();
    expect(first.batches.map((batch) => batch.id)).toEqual([...batchIds].reverse().slice(0, 3));
    const rest = (
      await owner.get(owner.store('/batches'), { limit: 3, before: first.nextBefore ?? '' })
    ).json<BatchesResponse>();
    expect(rest).toEqual({ batches: [expect.objectContaining({ id: batchIds[0] })], nextBefore: null });
    const side = (await owner.get(owner.store('/batches'), { deviceId: second.deviceId })).json<BatchesResponse>();
    expect(side.batches).toEqual([
      expect.objectContaining({ id: batchIds[3], deviceName: 'Side till', deviceNo: 2, saleCount: 1, newCount: 1 }),
    ]);
    const none = (await owner.get(owner.store('/batches'), { from: '2026-03-03' })).json<BatchesResponse>();
    expect(none.batches).toEqual([]);
  });

  it('[MGR-5] a batch shows every sale it carried in order, duplicates included', async () => {
    const response = await owner.get(owner.store(`/batches/${batchIds[1]}`));
    expect(response.statusCode).toBe(200);
    const detail = response.json<BatchDetail>();
    expect(detail.batch).toMatchObject({ saleCount: 3, newCount: 1, duplicateCount: 1, flaggedCount: 1 });
    expect(detail.sales.map((entry) => [entry.position, entry.status, entry.sale.id])).toEqual([
      [0, 'new', ids.card],
      [1, 'flagged', ids.wrong],
      [2, 'duplicate', ids.cash],
    ]);
  });
});

describe('console: sales', () => {
  it('[MGR-5] finds a sale by its whole receipt number or a part of it', async () => {
    expect(await saleIds({ receiptNo: ids.cashReceipt ?? '' })).toEqual([ids.cash]);
    expect((await saleIds({ receiptNo: 'DEMO-' })).length).toBe(6);
    expect(await saleIds({ receiptNo: '%' })).toEqual([]);
  });

  it('[MGR-5] from/to are store-time days of the till’s clock', async () => {
    expect(await saleIds({ from: '2026-02-28', to: '2026-02-28' })).toEqual([ids.evening]);
    expect((await saleIds({ from: '2026-03-02' })).sort()).toEqual(
      [ids.cash, ids.card, ids.wrong, ids.afterGap, ids.other].sort(),
    );
    const reversed = await owner.get(owner.store('/sales'), { from: '2026-03-02', to: '2026-03-01' });
    expect(reversed.statusCode).toBe(400);
  });

  it('[MGR-5] filters by tender, flagged, device and total; pages newest first', async () => {
    expect(await saleIds({ tender: 'card' })).toEqual([ids.card]);
    expect(await saleIds({ tender: 'cash' })).not.toContain(ids.card);
    expect(await saleIds({ flagged: true })).toContain(ids.wrong);
    expect(await saleIds({ flagged: false })).not.toContain(ids.wrong);
    expect(await saleIds({ deviceId: second.deviceId })).toEqual([ids.other]);
    const wrong = (await sales()).sales.find((sale) => sale.id === ids.wrong);
    expect(await saleIds({ minTotal: wrong?.total ?? 0 })).toEqual([ids.wrong]);
    const all = await saleIds();
    const page = await sales({ limit: 4 });
    const next = await sales({ limit: 4, before: page.nextBefore ?? '' });
    expect([...page.sales, ...next.sales].map((sale) => sale.id)).toEqual(all);
    expect(next.nextBefore).toBeNull();
  });

  it('[MGR-5][I8] a sale’s detail: lines and tenders as sold (no gateway token), its payment and attempts', async () => {
    const response = await owner.get(owner.store(`/sales/${ids.card}`));
    expect(response.statusCode).toBe(200);
    const detail = response.json<SaleDetail>();
    expect(detail.sale).toMatchObject({ id: ids.card, card: detail.totals.total, cash: 0 });
    expect(detail.batchId).toBe(batchIds[1]);
    expect(detail.lines).toHaveLength(2);
    expect(detail.tenders).toEqual([
      { id: ids.cardPayment, kind: 'card', amount: detail.totals.total, brand: 'visa', last4: '4242', entry: 'stored' },
    ]);
    expect(detail.payments).toEqual([
      { payment: expect.objectContaining({ id: ids.cardPayment, state: 'pending' }), attempts: [] },
    ]);
    expect(response.body).not.toContain('pm_card');
  });

  it('[I3] a sale’s detail shows the sequence issues it revealed and its conflicting copies', async () => {
    const afterGap = (await owner.get(owner.store(`/sales/${ids.afterGap}`))).json<SaleDetail>();
    expect(afterGap.sequenceIssues).toEqual([
      expect.objectContaining({ kind: 'gap', fromSeq: 5, toSeq: 5, resolvedAt: null }),
    ]);
    const cash = (await owner.get(owner.store(`/sales/${ids.cash}`))).json<SaleDetail>();
    expect(cash.conflictingCopies).toBe(1);
    expect(cash.sale.receiptNo).toBe(ids.cashReceipt);
  });

  it('[MGR-5] a sale id that is not the store’s is 404', async () => {
    const response = await owner.get(owner.store('/sales/0190a000-0000-7000-8000-000000000000'));
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('not_found');
  });
});
