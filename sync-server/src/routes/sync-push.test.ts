import { canonicalJson, type PushResponse, sha256Hex, uuidv7 } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, rows, startTestServer, type TestServer } from '../../test/helper.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('POST /api/v1/sync/push — exactly once (I2)', () => {
  it('[I2] stores a clean batch once, answers new per sale in order, and records the batch', async () => {
    const till = await server.enroll();
    const sales = await till.nextSales(3);
    const body = till.pushBody(sales);
    const response = await till.push(body);

    expect(response.statusCode).toBe(200);
    const answer = response.json<PushResponse>();
    expect(answer).toMatchObject({ protocolVersion: 1, batchId: body.batchId, ackedSeq: 3 });
    expect(answer.results).toEqual(
      sales.map((s) => ({ saleId: s.id, deviceSeq: s.deviceSeq, status: 'new', flags: [] })),
    );

    const stored = rows(server.sql, 'sales', { device_id: till.deviceId });
    expect(stored).toHaveLength(3);
    const first = stored.find((row) => row.id === sales[0]?.id);
    expect(first).toMatchObject({
      device_seq: 1,
      status: 'new',
      flags: '[]',
      batch_id: body.batchId,
      total: sales[0]?.totals.total,
      tax: sales[0]?.totals.tax,
      store_id: server.store.id,
      payload: canonicalJson(sales[0]),
      payload_hash: await sha256Hex(canonicalJson(sales[0])),
    });
    const [batch] = rows(server.sql, 'batches', { id: body.batchId });
    expect(batch).toMatchObject({
      device_id: till.deviceId,
      sale_count: 3,
      new_count: 3,
      duplicate_count: 0,
      flagged_count: 0,
      total: sales.reduce((sum, s) => sum + s.totals.total, 0),
      request_hash: await sha256Hex(canonicalJson({ protocolVersion: 1, batchId: body.batchId, sales })),
    });
    expect(JSON.parse(String(batch?.response))).toEqual(answer);
    expect(count(server.sql, 'batch_sales', { batch_id: body.batchId })).toBe(3);
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({ acked_seq: 3, last_seq: 3 });
  });

  it('[I2][SYNC-3] a batch replayed ten times stores each sale once and gets the same answer', async () => {
    const till = await server.enroll();
    const body = till.pushBody(await till.nextSales(4));
    const first = await till.push(body);
    expect(first.statusCode).toBe(200);
    for (let replay = 0; replay < 10; replay += 1) {
      server.clock.advance(1000);
      const again = await till.push(body);
      expect(again.statusCode).toBe(200);
      expect(again.body).toBe(first.body);
    }
    expect(count(server.sql, 'sales', { device_id: till.deviceId })).toBe(4);
    expect(count(server.sql, 'batches', { device_id: till.deviceId })).toBe(1);
    expect(count(server.sql, 'batch_sales', { batch_id: body.batchId })).toBe(4);
  });

  it('[I2][SYNC-3] a retry with refreshed deviceStatus is still a replay: same answer, nothing written', async () => {
    const till = await server.enroll();
    const body = till.pushBody(await till.nextSales(2));
    const status = { appVersion: '0.1.0', oldestUnsentAt: null, storagePersisted: null };
    const first = await till.push({ ...body, deviceStatus: { ...status, unsentCount: 2 } });
    const retry = await till.push({ ...body, deviceStatus: { ...status, unsentCount: 3 } });
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toBe(first.body);
    expect(count(server.sql, 'sales', { device_id: till.deviceId })).toBe(2);
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({ unsent_count: 2 });
  });

  it('[I2][SYNC-4] the same sale in two batches is stored once; the second batch answers duplicate', async () => {
    const till = await server.enroll();
    const [a, b, c] = await till.nextSales(3);
    if (!a || !b || !c) throw new Error('sales missing');
    await till.push(till.pushBody([a, b]));
    const second = till.pushBody([b, c]);
    const response = await till.push(second);

    expect(response.json<PushResponse>().results.map((r) => r.status)).toEqual(['duplicate', 'new']);
    expect(response.json<PushResponse>().results[0]?.flags).toEqual([]);
    expect(count(server.sql, 'sales', { device_id: till.deviceId })).toBe(3);
    expect(count(server.sql, 'sales', { id: b.id })).toBe(1);
    expect(rows(server.sql, 'batches', { id: second.batchId })[0]).toMatchObject({
      sale_count: 2,
      new_count: 1,
      duplicate_count: 1,
      total: c.totals.total,
    });
    expect(rows(server.sql, 'batch_sales', { batch_id: second.batchId }).map((r) => r.status)).toEqual([
      'duplicate',
      'new',
    ]);
  });

  it('[I2][SYNC-4] two concurrent pushes with overlapping sales store each sale once', async () => {
    // The ledger's own guarantee, so with load shedding off: with it on, one process lets in
    // one push per device at a time (SCALE-3), but two server processes still can race.
    const unshed = await startTestServer({ MAX_CONCURRENT_PUSHES: '0' });
    try {
      await concurrentOverlappingPushes(unshed);
    } finally {
      await unshed.close();
    }
  });

  async function concurrentOverlappingPushes(server: TestServer): Promise<void> {
    const till = await server.enroll();
    const sales = await till.nextSales(6);
    const [left, right] = await Promise.all([
      till.push(till.pushBody(sales.slice(0, 4))),
      till.push(till.pushBody(sales.slice(2, 6))),
    ]);
    expect([left.statusCode, right.statusCode]).toEqual([200, 200]);

    const statuses = [...left.json<PushResponse>().results, ...right.json<PushResponse>().results];
    // Sales 3 and 4 were in both: one push stored them, the other saw them stored.
    for (const overlap of sales.slice(2, 4)) {
      const answers = statuses.filter((r) => r.saleId === overlap.id).map((r) => r.status);
      expect(answers.sort()).toEqual(['duplicate', 'new']);
    }
    expect(count(server.sql, 'sales', { device_id: till.deviceId })).toBe(6);
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({ acked_seq: 6, last_seq: 6 });
  }

  it('[I2][SYNC-5] a sale id that arrives again with a different payload keeps the original and records the conflict', async () => {
    const till = await server.enroll();
    const original = await till.nextSale();
    await till.push(till.pushBody([original]));
    const tampered = await till.makeSale(1, original.prevHash, (sale) => ({
      ...sale,
      id: original.id,
      receiptNo: 'X-1',
    }));

    const response = await till.push(till.pushBody([tampered]));
    expect(response.json<PushResponse>().results).toEqual([
      { saleId: original.id, deviceSeq: 1, status: 'flagged', flags: ['payload_conflict'] },
    ]);
    const [stored] = rows(server.sql, 'sales', { id: original.id });
    expect(stored?.payload).toBe(canonicalJson(original));
    expect(count(server.sql, 'sales', { id: original.id })).toBe(1);
    const conflicts = rows(server.sql, 'sale_conflicts', { sale_id: original.id });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ device_id: till.deviceId, payload: canonicalJson(tampered) });

    // The same conflicting payload again: answered the same, kept once.
    await till.push(till.pushBody([tampered]));
    expect(count(server.sql, 'sale_conflicts', { sale_id: original.id })).toBe(1);
  });

  it('[I2][SYNC-5] the same sale id pushed by another device of the tenant is a conflict, not a duplicate', async () => {
    const owner = await server.enroll('Owner');
    const other = await server.enroll('Other');
    const sale = await owner.nextSale();
    await owner.push(owner.pushBody([sale]));

    const response = await other.push(other.pushBody([sale]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'flagged', flags: ['payload_conflict'] });
    expect(rows(server.sql, 'sales', { id: sale.id })).toMatchObject([{ device_id: owner.deviceId }]);
    expect(rows(server.sql, 'sale_conflicts', { sale_id: sale.id })).toMatchObject([{ device_id: other.deviceId }]);
    expect(count(server.sql, 'sales', { device_id: other.deviceId })).toBe(0);
  });

  it('[I2][SYNC-3] a batchId reused with different content is refused with 409 and nothing is written', async () => {
    const till = await server.enroll();
    const batchId = uuidv7();
    await till.push(till.pushBody(await till.nextSales(1), batchId));
    const before = count(server.sql, 'sales');

    const response = await till.push(till.pushBody(await till.nextSales(1), batchId));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: 'batch_id_reused' });
    expect(count(server.sql, 'sales')).toBe(before);
    expect(count(server.sql, 'batches', { id: batchId })).toBe(1);
  });

  it("[I10] another device's batchId is refused with 409", async () => {
    const owner = await server.enroll();
    const other = await server.enroll();
    const body = owner.pushBody(await owner.nextSales(1));
    await owner.push(body);
    const response = await other.push({ ...body, sales: [] });
    expect(response.statusCode).toBe(409);
    const replayByOther = await other.push(body);
    expect(replayByOther.statusCode).toBe(409);
    expect(count(server.sql, 'sales', { device_id: other.deviceId })).toBe(0);
  });
});

describe('ackedSeq and device status', () => {
  it('[SYNC-8] ackedSeq is the highest seq with every earlier seq stored, and advances when a gap fills', async () => {
    const till = await server.enroll();
    const [s1, s2, s3, s4] = await till.nextSales(4);
    if (!s1 || !s2 || !s3 || !s4) throw new Error('sales missing');

    const afterGap = await till.push(till.pushBody([s1, s2, s4]));
    expect(afterGap.json<PushResponse>().ackedSeq).toBe(2);
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({ acked_seq: 2, last_seq: 4 });

    const filled = await till.push(till.pushBody([s3]));
    expect(filled.json<PushResponse>().ackedSeq).toBe(4);
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({ acked_seq: 4, last_seq: 4 });
  });

  it('[SYNC-8] ackedSeq stays 0 while seq 1 is missing', async () => {
    const till = await server.enroll();
    const [, s2] = await till.nextSales(2);
    if (!s2) throw new Error('sale missing');
    const response = await till.push(till.pushBody([s2]));
    expect(response.json<PushResponse>().ackedSeq).toBe(0);
  });

  it('an empty push is a heartbeat: device status and last_seen are updated, no batch is recorded', async () => {
    const till = await server.enroll();
    server.clock.advance(60_000);
    const body = {
      ...till.pushBody([]),
      deviceStatus: {
        appVersion: '0.2.0',
        unsentCount: 3,
        oldestUnsentAt: '2026-03-02T08:00:00.000Z',
        storagePersisted: true,
      },
    };
    const response = await till.push(body);
    expect(response.statusCode).toBe(200);
    expect(response.json<PushResponse>()).toMatchObject({ results: [], ackedSeq: 0 });
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({
      last_seen_at: server.clock.now().toISOString(),
      app_version: '0.2.0',
      unsent_count: 3,
      oldest_unsent_at: '2026-03-02T08:00:00.000Z',
      storage_persisted: 1,
    });
    expect(count(server.sql, 'batches', { id: body.batchId })).toBe(0);
  });
});
