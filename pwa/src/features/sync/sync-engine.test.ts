import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getMeta, type LedgerSale, type TillDb } from '../../db/index.ts';
import { FakeSyncServer } from '../../test-support/fake-sync-server.ts';
import { openEnrolledDb, recordSales } from '../../test-support/ledger-fixtures.ts';
import { type LocksLike, SyncEngine, type SyncEngineOptions } from './sync-engine.ts';

const START = Date.parse('2025-03-01T09:00:00Z');

interface Harness {
  engine: SyncEngine;
  timers: Array<{ ms: number; fire: () => void; cleared: boolean }>;
  clock: { now: number };
}

let server: FakeSyncServer;
let db: TillDb;

beforeEach(async () => {
  server = await new FakeSyncServer().start();
  db = await openEnrolledDb();
});

afterEach(async () => {
  await server.close();
  db.close();
});

function harness(overrides: Partial<SyncEngineOptions> = {}): Harness {
  const timers: Harness['timers'] = [];
  const clock = { now: START };
  const engine = new SyncEngine({
    db,
    baseUrl: server.url,
    fetch: (input, init) => fetch(input, init),
    now: () => clock.now,
    random: () => 0.5,
    // Timers are recorded, never fired by themselves: tests fire them.
    setTimer: (callback, ms) => {
      const timer = { ms, fire: callback, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as Harness['timers'][number]).cleared = true;
    },
    locks: null,
    appVersion: '9.9.9-test',
    batchSize: 2,
    requestTimeoutMs: 250,
    ...overrides,
  });
  return { engine, timers, clock };
}

async function ledger(): Promise<LedgerSale[]> {
  return db.sales.orderBy('deviceSeq').toArray();
}

describe('sync engine', () => {
  it('[I6] pushes unsent sales in deviceSeq order, in batches, and marks them sent after the 200', async () => {
    const sales = await recordSales(db, 5);
    const { engine } = harness();
    engine.start();
    await engine.whenIdle();
    expect(server.pushes.map((push) => push.seqs)).toEqual([[1, 2], [3, 4], [5]]);
    expect(new Set(server.pushes.map((push) => push.batchId)).size).toBe(3);
    expect(server.pushes[0]?.authorization).toBe('Bearer test-token');
    // Each push reports the queue as it will be once that push is stored (SYNC-10).
    expect(server.pushes[0]?.request.deviceStatus).toEqual({
      appVersion: '9.9.9-test',
      unsentCount: 3,
      oldestUnsentAt: sales[2]?.createdAt,
      storagePersisted: null,
    });
    expect(server.pushes[2]?.request.deviceStatus).toMatchObject({ unsentCount: 0, oldestUnsentAt: null });
    const after = await ledger();
    expect(after.map((sale) => sale.syncState)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(after.every((sale) => sale.serverStatus === 'new' && sale.sentAt !== null)).toBe(true);
    expect(await getMeta(db, 'pendingBatch')).toBeUndefined();
    expect(await getMeta(db, 'lastSyncAt')).toBe(new Date(START).toISOString());
    expect(engine.getSnapshot().phase).toBe('idle');
  });

  it('[I2][I6][SYNC-2] an answer dropped after commit marks nothing; the retry resends the same batch', async () => {
    await recordSales(db, 3);
    server.next('commit-then-drop');
    const { engine } = harness({ batchSize: 10 });
    const first = await engine.pushOnce();
    expect(first.kind).toBe('retry');
    expect(server.committed.size).toBe(3);
    expect((await ledger()).map((sale) => sale.syncState)).toEqual(['unsent', 'unsent', 'unsent']);
    expect((await getMeta(db, 'pendingBatch'))?.batchId).toBe(server.pushes[0]?.batchId);

    await recordSales(db, 1); // a sale made meanwhile must not join the stored batch
    const second = await engine.pushOnce();
    expect(second).toMatchObject({ kind: 'sent', resent: true, marked: 3 });
    expect(server.pushes[1]?.request).toEqual(server.pushes[0]?.request);
    expect((await ledger()).map((sale) => sale.syncState)).toEqual(['sent', 'sent', 'sent', 'unsent']);

    const third = await engine.pushOnce();
    expect(third).toMatchObject({ kind: 'sent', resent: false, marked: 1 });
    expect(server.pushes[2]?.seqs).toEqual([4]);
    expect(server.committed.size).toBe(4);
  });

  it('[I6] a 500 changes nothing in the ledger and schedules a retry', async () => {
    await recordSales(db, 3);
    const before = await ledger();
    server.next({ status: 500 });
    const { engine, timers } = harness();
    engine.start();
    await engine.whenIdle();
    expect(await ledger()).toEqual(before);
    expect(engine.getSnapshot()).toMatchObject({ phase: 'backoff', failures: 1 });
    expect(timers).toHaveLength(1);
    expect(await getMeta(db, 'lastSyncError')).toMatchObject({ code: 'internal_error' });

    timers[0]?.fire();
    await engine.whenIdle();
    expect(server.pushes[1]?.batchId).toBe(server.pushes[0]?.batchId);
    expect((await ledger()).every((sale) => sale.syncState === 'sent')).toBe(true);
  });

  it('[I6] a timeout changes nothing; the same batch is resent', async () => {
    await recordSales(db, 2);
    const before = await ledger();
    server.next('hang');
    const { engine } = harness({ requestTimeoutMs: 150 });
    const outcome = await engine.pushOnce();
    expect(outcome).toMatchObject({ kind: 'retry', code: 'timeout' });
    expect(await ledger()).toEqual(before);
    expect(await engine.pushOnce()).toMatchObject({ kind: 'sent', resent: true });
    expect(server.pushes[1]?.batchId).toBe(server.pushes[0]?.batchId);
  });

  it('[I9][SYNC-9] a 400 naming one sale quarantines only that sale; the rest are sent', async () => {
    await recordSales(db, 3);
    server.next({
      status: 400,
      body: {
        error: 'invalid_request',
        message: 'The request is malformed',
        details: [{ path: '/sales/1/lines/0/qty', message: 'must not be 0' }],
      },
    });
    const { engine } = harness({ batchSize: 10 });
    engine.start();
    await engine.whenIdle();
    const after = await ledger();
    expect(after.map((sale) => sale.syncState)).toEqual(['sent', 'rejected', 'sent']);
    expect(after[1]?.rejectReason).toContain('/sales/1/lines/0/qty: must not be 0');
    expect(server.pushes[1]?.seqs).toEqual([1, 3]);
    expect(server.pushes[1]?.batchId).not.toBe(server.pushes[0]?.batchId);
    expect(await db.sales.count()).toBe(3);
  });

  it('[SYNC-3] a 409 batch_id_reused drops the stored batch and pushes a fresh one', async () => {
    await recordSales(db, 2);
    server.next({ status: 409, body: { error: 'batch_id_reused', message: 'taken' } });
    const { engine } = harness();
    engine.start();
    await engine.whenIdle();
    expect(server.pushes).toHaveLength(2);
    expect(server.pushes[1]?.batchId).not.toBe(server.pushes[0]?.batchId);
    expect(server.pushes[1]?.seqs).toEqual([1, 2]);
    expect((await ledger()).every((sale) => sale.syncState === 'sent')).toBe(true);
  });

  it('[I6] a 200 that names none of the sales marks nothing and backs off', async () => {
    await recordSales(db, 2);
    const before = await ledger();
    server.next({
      status: 200,
      body: { protocolVersion: 1, batchId: 'ignored', receivedAt: new Date().toISOString(), results: [], ackedSeq: 0 },
    });
    const { engine, timers } = harness();
    engine.start();
    await engine.whenIdle();
    expect(server.pushes).toHaveLength(1);
    expect(await ledger()).toEqual(before);
    expect(timers).toHaveLength(1);
  });

  it('[I6] 401 and 403 stop the engine and change nothing', async () => {
    await recordSales(db, 1);
    server.next({ status: 403, body: { error: 'device_revoked', message: 'revoked' } });
    const { engine, timers } = harness();
    engine.start();
    await engine.whenIdle();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'blocked', blocked: 'revoked' });
    expect(timers).toHaveLength(0);
    engine.trigger('online');
    await engine.whenIdle();
    expect(server.pushes).toHaveLength(1);
    expect((await ledger())[0]?.syncState).toBe('unsent');
  });

  it('[SYNC-10] retries back off exponentially with full jitter, capped, and honour Retry-After', async () => {
    await recordSales(db, 1);
    const randoms = [0.999, 0.999, 0.999, 0.5, 0.999, 0.999, 0.999, 0.999, 0.1];
    let draw = 0;
    server.next(...Array.from({ length: 9 }, () => ({ status: 503 })));
    const { engine, timers, clock } = harness({ random: () => randoms[draw++] ?? 0.5 });
    engine.start();
    await engine.whenIdle();
    for (let attempt = 1; attempt < 9; attempt++) {
      timers.at(-1)?.fire();
      await engine.whenIdle();
    }
    expect(timers.map((timer) => timer.ms)).toEqual([999, 1998, 3996, 4000, 15984, 31968, 59940, 59940, 6000]);

    server.next({ status: 429, headers: { 'retry-after': '30' }, body: { error: 'rate_limited', message: 'slow' } });
    timers.at(-1)?.fire();
    await engine.whenIdle();
    // Retry-After plus a jitter below min(Retry-After, the 60 s window the 503s grew): 30 s + 0.5 × 30 s.
    expect(timers.at(-1)?.ms).toBe(45_000);
    engine.trigger('online'); // not before the server's Retry-After
    await engine.whenIdle();
    expect(server.pushes).toHaveLength(10);
    clock.now += 30_000;
    engine.trigger('online');
    await engine.whenIdle();
    expect(server.pushes).toHaveLength(11);
    expect((await ledger())[0]?.syncState).toBe('sent');
  });

  it('[SYNC-10][SCALE-4] a run of 429s with Retry-After: 2 waits about Retry-After each time, never twice as long', async () => {
    await recordSales(db, 1);
    const shed = { status: 429, headers: { 'retry-after': '2' }, body: { error: 'rate_limited', message: 'busy' } };
    server.next(...Array.from({ length: 8 }, () => shed));
    const { engine, timers, clock } = harness({ random: () => 0.999 });
    engine.start();
    await engine.whenIdle();
    for (let attempt = 1; attempt < 8; attempt++) {
      clock.now += timers.at(-1)?.ms ?? 0;
      timers.at(-1)?.fire();
      await engine.whenIdle();
    }
    // Before: 2000, 2000, 3996, 7992, 15984, 31968, 59940, 59940 — the 429s grew the window.
    expect(timers.map((timer) => timer.ms)).toEqual(Array.from({ length: 8 }, () => 2_999));
    expect(engine.getSnapshot()).toMatchObject({ phase: 'backoff', failures: 8, nextAttemptAt: clock.now + 2_999 });

    clock.now += 2_999;
    timers.at(-1)?.fire();
    await engine.whenIdle();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'idle', failures: 0 });
    expect((await ledger())[0]?.syncState).toBe('sent');
  });

  it('[SYNC-10] 5xx escalate, paced 429s in between do not, and a success resets the backoff', async () => {
    await recordSales(db, 1);
    const shed = { status: 429, headers: { 'retry-after': '2' }, body: { error: 'rate_limited', message: 'busy' } };
    server.next({ status: 503 }, { status: 503 }, shed, { status: 500 }, { status: 503 });
    const { engine, timers, clock } = harness({ random: () => 0.999 });
    engine.start();
    await engine.whenIdle();
    for (let attempt = 1; attempt < 5; attempt++) {
      clock.now += timers.at(-1)?.ms ?? 0;
      timers.at(-1)?.fire();
      await engine.whenIdle();
    }
    expect(timers.map((timer) => timer.ms)).toEqual([999, 1_998, 3_998, 3_996, 7_992]);

    clock.now += 7_992;
    timers.at(-1)?.fire();
    await engine.whenIdle();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'idle', failures: 0 });
    await recordSales(db, 1);
    server.next({ status: 503 });
    engine.trigger('sale');
    await engine.whenIdle();
    expect(timers.at(-1)?.ms).toBe(999);
    expect(engine.getSnapshot()).toMatchObject({ phase: 'backoff', failures: 1 });
  });

  it('[SYNC-10] only the tab holding the leader lock pushes; another takes over when it stops', async () => {
    await recordSales(db, 1);
    const locks = new FakeLocks();
    const first = harness({ locks });
    const second = harness({ locks });
    first.engine.start();
    second.engine.start();
    await Promise.resolve();
    expect(first.engine.getSnapshot().leader).toBe(true);
    expect(second.engine.getSnapshot()).toMatchObject({ leader: false, phase: 'waiting_for_leader' });
    await first.engine.whenIdle();
    await recordSales(db, 1);
    second.engine.trigger('sale');
    await second.engine.whenIdle();
    expect(server.pushes).toHaveLength(1);
    first.engine.stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(second.engine.getSnapshot().leader).toBe(true);
    await second.engine.whenIdle();
    expect(server.pushes.map((push) => push.seqs)).toEqual([[1], [2]]);
  });
});

/** An exclusive Web Locks stand-in: callbacks run one at a time, in request order. */
class FakeLocks implements LocksLike {
  private tail: Promise<unknown> = Promise.resolve();
  request(_name: string, callback: () => Promise<void>): Promise<unknown> {
    const run = this.tail.then(callback);
    this.tail = run.catch(() => {});
    return run;
  }
}
