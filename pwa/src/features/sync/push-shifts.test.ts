import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closeShift,
  getMeta,
  openShift,
  recordCashMovement,
  type ShiftEventRecord,
  type TillDb,
} from '../../db/index.ts';
import { FakeSyncServer } from '../../test-support/fake-sync-server.ts';
import { openEnrolledDb, recordSales } from '../../test-support/ledger-fixtures.ts';
import { SyncEngine } from './sync-engine.ts';

const START = Date.parse('2025-03-01T09:00:00Z');

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

function harness() {
  const timers: Array<{ ms: number; fire: () => void }> = [];
  const clock = { now: START };
  const engine = new SyncEngine({
    db,
    baseUrl: server.url,
    fetch: (input, init) => fetch(input, init),
    now: () => clock.now,
    random: () => 0.5,
    setTimer: (callback, ms) => {
      const timer = { ms, fire: callback };
      timers.push(timer);
      return timer;
    },
    clearTimer: () => {},
    locks: null,
    appVersion: '9.9.9-test',
    requestTimeoutMs: 250,
  });
  return { engine, timers, clock };
}

/** A shift opened, 5.00 paid out, closed balanced: three events, one minute apart. */
async function oneShift(): Promise<void> {
  await openShift(db, { cashier: 'Anna', openingFloat: 1_000 }, new Date(START));
  await recordCashMovement(db, { amount: -500, reason: 'Milk' }, new Date(START + 60_000));
  await closeShift(db, { countedCash: 500, reason: '' }, new Date(START + 120_000));
}

async function events(): Promise<ShiftEventRecord[]> {
  const all = await db.shiftEvents.toArray();
  return all.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

describe('sending shift events', () => {
  it('[SHIFT-1][I6] after the sales, unsent shift events go in `at` order and are marked sent on the 200', async () => {
    await oneShift();
    await recordSales(db, 2);
    const { engine } = harness();
    engine.start();
    await engine.whenIdle();
    expect(server.requests.filter((route) => route.startsWith('POST'))).toEqual([
      'POST /api/v1/sync/push',
      'POST /api/v1/sync/shifts',
    ]);
    expect(server.shiftPushes[0]?.events.map((event) => event.kind)).toEqual(['opened', 'cash_movement', 'closed']);
    expect(server.shiftPushes[0]?.protocolVersion).toBe(1);
    const after = await events();
    expect(after.map((record) => record.syncState)).toEqual(['sent', 'sent', 'sent']);
    expect(after.every((record) => record.sentAt === new Date(START).toISOString())).toBe(true);
    expect(server.shiftEvents.size).toBe(3);
    expect(engine.getSnapshot().phase).toBe('idle');
  });

  it('[SHIFT-1] at most 100 events go in one request', async () => {
    await openShift(db, { cashier: 'Anna', openingFloat: 0 }, new Date(START));
    for (let i = 1; i <= 120; i++) {
      await recordCashMovement(db, { amount: 100, reason: `Top-up ${i}` }, new Date(START + i * 1_000));
    }
    const { engine } = harness();
    engine.start();
    await engine.whenIdle();
    expect(server.shiftPushes.map((push) => push.events.length)).toEqual([100, 21]);
    expect(server.shiftPushes.flatMap((push) => push.events.map((event) => event.at))).toEqual(
      (await events()).map((record) => record.at),
    );
    expect((await events()).every((record) => record.syncState === 'sent')).toBe(true);
  });

  it.each([
    ['a 500', { status: 500 }],
    ['a 429', { status: 429, headers: { 'retry-after': '30' }, body: { error: 'rate_limited', message: 'busy' } }],
    ['a 400', { status: 400, body: { error: 'invalid_request', message: 'bad', details: [{ path: '/events/0' }] } }],
  ] as const)('[I6] %s marks nothing; the events are sent again later', async (_name, behaviour) => {
    await oneShift();
    const before = await events();
    server.nextShifts(behaviour);
    const { engine, timers, clock } = harness();
    engine.start();
    await engine.whenIdle();
    expect(await events()).toEqual(before);
    expect(engine.getSnapshot()).toMatchObject({ phase: 'backoff', failures: 1 });
    expect(await getMeta(db, 'lastSyncError')).toMatchObject({
      code: 'body' in behaviour ? behaviour.body.error : 'internal_error',
    });
    // Retry-After plus a jitter under 1 s (random 0.5), so not before the server asked (SCALE-4).
    if (behaviour.status === 429) expect(timers.at(-1)?.ms).toBe(30_500);

    clock.now += 30_500;
    timers.at(-1)?.fire();
    await engine.whenIdle();
    expect(server.shiftPushes[1]?.events).toEqual(server.shiftPushes[0]?.events);
    expect((await events()).every((record) => record.syncState === 'sent')).toBe(true);
    expect(await getMeta(db, 'lastSyncError')).toBeUndefined();
  });

  it('[I6] an answer dropped after the commit marks nothing; the resend is answered duplicate and marks them', async () => {
    await oneShift();
    server.nextShifts('commit-then-drop');
    const { engine } = harness();
    expect(await engine.pushShiftsOnce()).toMatchObject({ kind: 'retry', reachedServer: false });
    expect((await events()).map((record) => record.syncState)).toEqual(['unsent', 'unsent', 'unsent']);
    expect(await engine.pushShiftsOnce()).toEqual({ kind: 'sent', sent: 3, conflicts: 0 });
    expect((await events()).map((record) => record.syncState)).toEqual(['sent', 'sent', 'sent']);
  });

  it('[I6] a 200 that names none of the events sent marks nothing', async () => {
    await oneShift();
    const before = await events();
    server.nextShifts({ status: 200, body: { results: [{ id: 'someone-else', status: 'new' }] } });
    const { engine } = harness();
    expect(await engine.pushShiftsOnce()).toMatchObject({ kind: 'retry', code: 'bad_response' });
    expect(await events()).toEqual(before);
  });

  it('[SHIFT-2] an event answered conflict is kept as a conflict, never resent; the others are sent', async () => {
    await oneShift();
    const [opened] = await events();
    if (!opened) throw new Error('no event');
    server.shiftEvents.set(opened.id, { ...opened.event, at: '2025-01-01T00:00:00.000Z' });
    const { engine } = harness();
    engine.start();
    await engine.whenIdle();
    const after = await events();
    expect(after.map((record) => record.syncState)).toEqual(['conflict', 'sent', 'sent']);
    expect(await db.shiftEvents.get(opened.id)).toMatchObject({ event: opened.event });

    await openShift(db, { cashier: 'Ben', openingFloat: 0 }, new Date(START + 600_000));
    await engine.syncNow();
    expect(server.shiftPushes.at(-1)?.events.map((event) => event.kind)).toEqual(['opened']);
    expect(server.shiftPushes.at(-1)?.events[0]?.id).not.toBe(opened.id);
  });

  it('[I6] a 401 blocks the engine and marks nothing', async () => {
    await oneShift();
    server.nextShifts({ status: 401, body: { error: 'unauthorized', message: 'who?' } });
    const { engine } = harness();
    engine.start();
    await engine.whenIdle();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'blocked', blocked: 'unauthorized' });
    expect((await events()).every((record) => record.syncState === 'unsent')).toBe(true);
  });
});
