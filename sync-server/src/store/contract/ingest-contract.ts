import { GENESIS_HASH, type PushResponse, type Sale, type SaleResult, uuidv7 } from '@till/shared';
import { expect, it } from 'vitest';
import { at, ContractShop, type ContractTill, storedAnswer } from './fixtures.ts';
import type { CurrentLedger } from './ledger-contract.ts';

/** SYNC-3…SYNC-8 and I2/I3: what a push stores, whatever is replayed, repeated or raced. */
export function ingestContract(ledger: CurrentLedger): void {
  it('[I2][SYNC-3] a replayed batch returns the stored answer and stores nothing twice', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const sales = [await till.nextSale(), await till.nextCardSale(), await till.nextSale()];
    const batchId = uuidv7();
    const first = await till.pushStored(sales, { batchId, receivedAt: at(1) });
    expect(first.results.map((r) => r.status)).toEqual(['new', 'new', 'new']);

    // The answer was lost; the till sends the very same batch again, later.
    const replay = await till.push(sales, { batchId, receivedAt: at(30) });
    expect(replay).toEqual({ kind: 'replayed', response: first });
    expect(idsOf(await shop.sales())).toEqual(idsOf(sales));
    expect((await shop.batches()).map((b) => [b.id, b.saleCount, b.newCount])).toEqual([[batchId, 3, 3]]);
    expect(await shop.payments()).toHaveLength(1);
    expect((await till.reload()).ackedSeq).toBe(3);

    // The same batchId with other content, or from another device, is refused and writes nothing.
    const more = await till.nextSale();
    expect(await till.push([...sales, more], { batchId, receivedAt: at(40) })).toEqual({ kind: 'batch_id_reused' });
    const other = await shop.enroll('Back till');
    expect(await other.push([await other.nextSale()], { batchId, receivedAt: at(41) })).toEqual({
      kind: 'batch_id_reused',
    });
    expect(await shop.sales()).toHaveLength(3);
    expect(await shop.batches()).toHaveLength(1);
  });

  it('[SYNC-4] a sale already stored (same content) is `duplicate` across batches and changes nothing', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const [s1, s2, s3, s4] = await fourSales(till);
    const first = await till.pushStored([s1, s2, s3], { receivedAt: at(1) });
    const second = await till.pushStored([s2, s3, s4], { receivedAt: at(2) });
    expect(second.results.map((r) => [r.saleId, r.status])).toEqual([
      [s2.id, 'duplicate'],
      [s3.id, 'duplicate'],
      [s4.id, 'new'],
    ]);
    expect(second.ackedSeq).toBe(4);
    expect(idsOf(await shop.sales())).toEqual(idsOf([s1, s2, s3, s4]));
    // The stored copy is the first one: its batch and arrival time did not move.
    const stored = await ledger().consoleSale(shop.scope, s2.id);
    expect(stored).toMatchObject({ batchId: first.batchId, sale: { receivedAt: at(1) } });
    const batch = (await shop.batches()).find((b) => b.id === second.batchId);
    expect(batch).toMatchObject({ saleCount: 3, newCount: 1, duplicateCount: 2, total: s4.totals.total });
  });

  it('[I2] the same sales pushed concurrently by one device are each stored exactly once', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const sales = await till.nextSales(12);
    const overlapping = [sales.slice(0, 8), sales.slice(4, 12), sales, sales.slice(2, 10), sales.slice(0, 8)];
    expectEachStoredOnce(await pushAllAtOnce(overlapping.map((batch) => [till, batch])), idsOf(sales));
    expect(idsOf(await shop.sales())).toEqual(idsOf(sales));
    expect((await till.reload()).ackedSeq).toBe(12);
  });

  it('[I2] the same sales pushed concurrently by two devices are each stored exactly once', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const front = await shop.enroll('Front till');
    const back = await shop.enroll('Back till');
    const frontSales = await front.nextSales(8);
    const backSales = await back.nextSales(8);
    const answers = await pushAllAtOnce([
      [front, frontSales.slice(0, 6)],
      [back, backSales.slice(0, 6)],
      [front, frontSales.slice(2)],
      [back, backSales.slice(2)],
      [front, frontSales],
      [back, backSales],
    ]);
    expectEachStoredOnce(answers, idsOf([...frontSales, ...backSales]));
    expect((await front.reload()).ackedSeq).toBe(8);
    expect((await back.reload()).ackedSeq).toBe(8);

    // One sale sent by both devices at once (a cloned tablet): whoever is first stores it; every
    // other copy is a duplicate (same device) or a conflict kept aside — never a second row.
    const contested = await front.nextSale();
    const races = await pushAllAtOnce([front, back, front, back].map((till) => [till, [contested]]));
    const stored = races
      .flatMap((r) => r.results)
      .filter((r) => r.status !== 'duplicate' && !r.flags.includes('payload_conflict'));
    expect(stored).toHaveLength(1);
    expect(await shop.sales()).toHaveLength(17);
  });

  it('[SYNC-5] same id, other content: the original is kept and the newcomer recorded as a conflict', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const original = await till.nextSale();
    const first = await till.pushStored([original], { receivedAt: at(1) });
    const altered = await till.makeSale(1, GENESIS_HASH, (sale) => ({ ...sale, id: original.id, cashier: 'Mallory' }));

    for (const receivedAt of [at(2), at(3)]) {
      const answer = await till.pushStored([altered], { receivedAt });
      expect(answer.results).toEqual([
        { saleId: original.id, deviceSeq: 1, status: 'flagged', flags: ['payload_conflict'] },
      ]);
    }
    const kept = await ledger().consoleSale(shop.scope, original.id);
    expect(kept).toMatchObject({ batchId: first.batchId, sale: { cashier: null, receivedAt: at(1) } });
    expect(kept?.tenders.map((t) => t.id)).toEqual(original.tenders.map((t) => t.id));
    // The same conflicting payload, received twice, is kept once.
    expect(kept?.conflictingCopies).toBe(1);
    expect(await shop.sales()).toHaveLength(1);
  });

  it('[SYNC-6][I3] a gap is recorded and resolved when filled; a hash break is recorded whichever sale arrives first', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const [s1, s2, s3, s4] = await fourSales(till);

    const gapped = await till.pushStored([s1, s3], { receivedAt: at(1) });
    expect(gapped.results[1]).toMatchObject({ saleId: s3.id, status: 'flagged', flags: ['seq_gap'] });
    const open = await ledger().consoleSequenceIssues(shop.scope, 'open');
    expect(open).toMatchObject([{ kind: 'gap', fromSeq: 2, toSeq: 2, saleId: s3.id, resolvedAt: null }]);
    await till.pushStored([s2], { receivedAt: at(2) });
    expect(await ledger().consoleSequenceIssues(shop.scope, 'open')).toEqual([]);
    expect(await ledger().consoleSequenceIssues(shop.scope, 'all')).toMatchObject([
      { kind: 'gap', fromSeq: 2, toSeq: 2, resolvedAt: at(2) },
    ]);

    // Seq 5 does not link to seq 4: flagged and recorded, and stored all the same.
    const broken = await till.makeSale(5, 'f'.repeat(64));
    const answer = await till.pushStored([s4, broken], { receivedAt: at(3) });
    expect(answer.results.map((r) => [r.status, r.flags])).toEqual([
      ['new', []],
      ['flagged', ['hash_break']],
    ]);
    // Seq 7 arrives before seq 6 and does not link to it: the break is found when 6 arrives.
    const s6 = await till.makeSale(6, broken.hash);
    const s7 = await till.makeSale(7, 'e'.repeat(64));
    await till.pushStored([s7], { receivedAt: at(4) });
    await till.pushStored([s6], { receivedAt: at(5) });

    const issues = await ledger().consoleSequenceIssues(shop.scope, 'all');
    const breaks = issues.filter((issue) => issue.kind === 'break').map((issue) => [issue.fromSeq, issue.saleId]);
    expect(breaks).toEqual([
      [5, broken.id],
      [7, s7.id],
    ]);
    expect((await ledger().consoleSale(shop.scope, s7.id))?.sale.flags).toContain('hash_break');
    expect(await shop.sales()).toHaveLength(7);
  });

  it('[SYNC-8] ackedSeq is the highest N such that seqs 1…N are all stored', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const [s1, s2, s3, s4, s5] = await till.nextSales(5);
    if (s1 === undefined || s2 === undefined || s3 === undefined || s4 === undefined || s5 === undefined) {
      throw new Error('five sales expected');
    }
    expect((await till.pushStored([s1, s2, s4])).ackedSeq).toBe(2);
    expect((await till.pushStored([s5])).ackedSeq).toBe(2);
    expect((await till.reload()).ackedSeq).toBe(2);
    expect((await till.pushStored([s3])).ackedSeq).toBe(5);
    // A push of old sales never moves it back.
    expect((await till.pushStored([s1])).ackedSeq).toBe(5);
    expect((await till.reload()).ackedSeq).toBe(5);
    const listed = (await ledger().listDevices()).find((device) => device.deviceId === till.deviceId);
    expect(listed).toMatchObject({ ackedSeq: 5, lastSeq: 5 });
  });
}

async function fourSales(till: ContractTill) {
  const [s1, s2, s3, s4] = await till.nextSales(4);
  if (s1 === undefined || s2 === undefined || s3 === undefined || s4 === undefined) {
    throw new Error('four sales expected');
  }
  return [s1, s2, s3, s4] as const;
}

/**
 * Prepares every push first, then starts them all in the same tick, so their transactions
 * overlap as much as the store allows (interleaved on one connection, or on several).
 */
async function pushAllAtOnce(pushes: [ContractTill, Sale[]][]): Promise<PushResponse[]> {
  const prepared = await Promise.all(
    pushes.map(async ([till, sales], index) => [till, await till.batch(sales, { receivedAt: at(1 + index) })] as const),
  );
  const outcomes = await Promise.all(prepared.map(([till, batch]) => till.ledger.pushBatch(till.device, batch)));
  return outcomes.map(storedAnswer);
}

function idsOf(rows: readonly { id: string }[]): string[] {
  return rows.map((row) => row.id).sort();
}

/**
 * Every sale named across concurrent answers was stored by exactly one of them (answered new,
 * or flagged seq_gap when it overtook its predecessor) and seen stored by the rest (duplicate).
 */
function expectEachStoredOnce(answers: PushResponse[], saleIds: string[]): void {
  const results: SaleResult[] = answers.flatMap((answer) => answer.results);
  for (const saleId of saleIds) {
    const stores = results.filter((r) => r.saleId === saleId && r.status !== 'duplicate');
    expect(stores, `sale ${saleId}`).toHaveLength(1);
    expect(stores[0]?.flags.filter((flag) => flag !== 'seq_gap')).toEqual([]);
  }
}
