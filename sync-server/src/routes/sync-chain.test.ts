import { GENESIS_HASH, type PushResponse } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, rows, startTestServer, type TestServer } from '../../test/helper.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const issuesOf = (deviceId: string) =>
  server.sql
    .prepare(
      'select kind, from_seq, to_seq, sale_id, resolved_at from sequence_issues where device_id = ? order by detected_at, kind',
    )
    .all(deviceId);

const saleRow = (id: string) => rows(server.sql, 'sales', { id })[0];

describe('hash chain and sequence checks (I3: detected, recorded, kept)', () => {
  it('[I3][SYNC-6] a seq gap is flagged and recorded; the sale that fills it later resolves the gap', async () => {
    const till = await server.enroll();
    const [s1, s2, s3, s4, s5] = await till.nextSales(5);
    if (!s1 || !s2 || !s3 || !s4 || !s5) throw new Error('sales missing');

    const gapped = await till.push(till.pushBody([s1, s4, s5]));
    expect(gapped.json<PushResponse>().results.map((r) => [r.status, r.flags])).toEqual([
      ['new', []],
      ['flagged', ['seq_gap']],
      ['new', []],
    ]);
    expect(saleRow(s4.id)).toMatchObject({ status: 'flagged', flags: '["seq_gap"]' });
    expect(issuesOf(till.deviceId)).toEqual([
      { kind: 'gap', from_seq: 2, to_seq: 3, sale_id: s4.id, resolved_at: null },
    ]);

    // seq 3 alone does not fill 2..3; it is itself after a missing seq, inside the open gap.
    const partly = await till.push(till.pushBody([s3]));
    expect(partly.json<PushResponse>().results[0]).toMatchObject({ status: 'flagged', flags: ['seq_gap'] });
    expect(issuesOf(till.deviceId)).toHaveLength(1);

    server.clock.advance(5000);
    const filled = await till.push(till.pushBody([s2]));
    expect(filled.json<PushResponse>().results[0]).toMatchObject({ status: 'new', flags: [] });
    expect(filled.json<PushResponse>().ackedSeq).toBe(5);
    expect(issuesOf(till.deviceId)).toEqual([
      { kind: 'gap', from_seq: 2, to_seq: 3, sale_id: s4.id, resolved_at: server.clock.now().toISOString() },
    ]);
    expect(count(server.sql, 'sales', { device_id: till.deviceId })).toBe(5);
  });

  it('[I3][SYNC-6] a reused deviceSeq is stored, flagged seq_reuse and recorded', async () => {
    const till = await server.enroll();
    const [s1, s2] = await till.nextSales(2);
    if (!s1 || !s2) throw new Error('sales missing');
    await till.push(till.pushBody([s1, s2]));
    // A till restored from an old backup makes a different sale 2 after the same sale 1.
    const reused = await till.makeSale(2, s1.hash);

    const response = await till.push(till.pushBody([reused]));
    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'flagged', flags: ['seq_reuse'] });
    expect(saleRow(reused.id)).toMatchObject({ device_seq: 2, status: 'flagged', flags: '["seq_reuse"]' });
    expect(count(server.sql, 'sales', { device_id: till.deviceId, device_seq: 2 })).toBe(2);
    expect(issuesOf(till.deviceId)).toEqual([
      { kind: 'reuse', from_seq: 2, to_seq: 2, sale_id: reused.id, resolved_at: null },
    ]);
  });

  it('[I3] a prevHash that is not the stored predecessor hash is flagged hash_break', async () => {
    const till = await server.enroll();
    const s1 = await till.nextSale();
    const broken = await till.makeSale(2, 'a'.repeat(64));
    const response = await till.push(till.pushBody([s1, broken]));

    expect(response.json<PushResponse>().results[1]).toMatchObject({ status: 'flagged', flags: ['hash_break'] });
    expect(saleRow(broken.id)).toMatchObject({ status: 'flagged', flags: '["hash_break"]', prev_hash: 'a'.repeat(64) });
    expect(issuesOf(till.deviceId)).toEqual([
      { kind: 'break', from_seq: 2, to_seq: 2, sale_id: broken.id, resolved_at: null },
    ]);
  });

  it('[I3] a first sale that does not link to the genesis hash is flagged hash_break', async () => {
    const till = await server.enroll();
    const first = await till.makeSale(1, 'b'.repeat(64));
    const response = await till.push(till.pushBody([first]));
    expect(response.json<PushResponse>().results[0]?.flags).toEqual(['hash_break']);
    expect(first.prevHash).not.toBe(GENESIS_HASH);
  });

  it('[I3] a late predecessor whose hash the successor does not link to records a break on the successor', async () => {
    const till = await server.enroll();
    const s1 = await till.nextSale();
    const s3 = await till.makeSale(3, 'c'.repeat(64)); // links to a sale 2 the server will never see
    const s2 = await till.makeSale(2, s1.hash);
    await till.push(till.pushBody([s1, s3]));
    server.clock.advance(1000);
    const response = await till.push(till.pushBody([s2]));

    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'new', flags: [] });
    expect(saleRow(s3.id)).toMatchObject({ status: 'flagged', flags: '["seq_gap","hash_break"]' });
    expect(issuesOf(till.deviceId)).toEqual([
      { kind: 'gap', from_seq: 2, to_seq: 2, sale_id: s3.id, resolved_at: server.clock.now().toISOString() },
      { kind: 'break', from_seq: 3, to_seq: 3, sale_id: s3.id, resolved_at: null },
    ]);
  });

  it('[I3] a sale whose hash does not match its content is stored, flagged hash_invalid', async () => {
    const till = await server.enroll();
    const sealed = await till.nextSale();
    const altered = { ...sealed, receiptNo: 'DEMO-99-000001' }; // changed after sealing
    const response = await till.push(till.pushBody([altered]));

    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'flagged', flags: ['hash_invalid'] });
    expect(saleRow(altered.id)).toMatchObject({ receipt_no: 'DEMO-99-000001', flags: '["hash_invalid"]' });
    expect(issuesOf(till.deviceId)).toMatchObject([{ kind: 'invalid', from_seq: 1, sale_id: altered.id }]);
  });
});

describe('arithmetic checks (flagged, never refused)', () => {
  it('[I7][SYNC-7] totals that do not match the lines are stored, flagged totals_mismatch', async () => {
    const till = await server.enroll();
    const sale = await till.nextSale((s) => {
      const totals = { ...s.totals, total: s.totals.total + 1 };
      const tender = { ...s.tenders[0], id: s.tenders[0]?.id ?? '', kind: 'cash' as const, amount: totals.total };
      return { ...s, totals, tenders: [{ ...tender, tendered: totals.total, change: 0 }] };
    });
    const response = await till.push(till.pushBody([sale]));

    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'flagged', flags: ['totals_mismatch'] });
    expect(saleRow(sale.id)).toMatchObject({
      status: 'flagged',
      flags: '["totals_mismatch"]',
      total: sale.totals.total,
    });
  });

  it('[I7][SYNC-7] tenders that do not add up to the total are stored, flagged tender_mismatch', async () => {
    const till = await server.enroll();
    const sale = await till.nextSale((s) => ({
      ...s,
      tenders: s.tenders.map((tender) =>
        tender.kind === 'cash' ? { ...tender, amount: tender.amount - 100, change: tender.change + 100 } : tender,
      ),
    }));
    const response = await till.push(till.pushBody([sale]));

    expect(response.json<PushResponse>().results[0]).toMatchObject({ status: 'flagged', flags: ['tender_mismatch'] });
    expect(saleRow(sale.id)).toMatchObject({ status: 'flagged', flags: '["tender_mismatch"]' });
    expect(rows(server.sql, 'batches', { device_id: till.deviceId })[0]).toMatchObject({
      flagged_count: 1,
      new_count: 0,
      total: sale.totals.total,
    });
  });

  it('[I9] one bad sale does not block the ones behind it', async () => {
    const till = await server.enroll();
    const bad = await till.nextSale((s) => ({ ...s, currency: 'EUR' }));
    const good = await till.nextSales(2);
    const response = await till.push(till.pushBody([bad, ...good]));

    expect(response.json<PushResponse>().results.map((r) => r.status)).toEqual(['flagged', 'new', 'new']);
    expect(response.json<PushResponse>().results[0]?.flags).toEqual(['currency_mismatch']);
    expect(count(server.sql, 'sales', { device_id: till.deviceId })).toBe(3);
  });
});
