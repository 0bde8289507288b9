import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closeShift,
  countUnsentShiftEvents,
  getMeta,
  listRejectedShiftEvents,
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

type FakeTimer = { ms: number; fire: () => void; cleared: boolean };

function harness() {
  const timers: FakeTimer[] = [];
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
      (handle as FakeTimer).cleared = true;
    },
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
    ['a 500', 'internal_error', { status: 500 }],
    [
      'a 429',
      'rate_limited',
      { status: 429, headers: { 'retry-after': '30' }, body: { error: 'rate_limited', message: 'busy' } },
    ],
    // Not the server's own error (a proxy's page, say): it says nothing about the events.
    ['a 400 that is not an API error', 'http_400', { status: 400, body: '<html>Bad Request</html>' }],
  ] as const)('[I6] %s marks nothing; the events are sent again later', async (_name, code, behaviour) => {
    await oneShift();
    const before = await events();
    server.nextShifts(behaviour);
    const { engine, timers, clock } = harness();
    engine.start();
    await engine.whenIdle();
    expect(await events()).toEqual(before);
    expect(engine.getSnapshot()).toMatchObject({ phase: 'backoff', failures: 1 });
    expect(await getMeta(db, 'lastSyncError')).toMatchObject({ code });
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

/** A 400 `invalid_request` as the server sends it (ERR-2: nothing of the request was stored). */
function invalid(message: string, details?: Array<{ path: string; message: string }>) {
  return { status: 400, body: { error: 'invalid_request', message, ...(details ? { details } : {}) } };
}

async function threeEvents(): Promise<[ShiftEventRecord, ShiftEventRecord, ShiftEventRecord]> {
  await oneShift();
  const [opened, movement, closed] = await events();
  if (!opened || !movement || !closed) throw new Error('expected three shift events');
  return [opened, movement, closed];
}

describe('a shift event the server refuses', () => {
  it('[I9][SHIFT-2] a 400 naming one event keeps it as rejected with its reason; the others go again at once without it', async () => {
    const [opened, movement, closed] = await threeEvents();
    server.nextShifts(
      invalid('Invalid request: /events/1/amount must be integer', [
        { path: '/events/1/amount', message: 'must be integer' },
      ]),
    );
    const { engine, timers } = harness();
    engine.start();
    await engine.whenIdle();
    expect(server.shiftPushes.map((push) => push.events.map((event) => event.id))).toEqual([
      [opened.id, movement.id, closed.id],
      [opened.id, closed.id],
    ]);
    const after = await events();
    expect(after.map((record) => record.syncState)).toEqual(['sent', 'rejected', 'sent']);
    expect(after[1]).toEqual({
      ...movement,
      syncState: 'rejected',
      rejectReason: '/events/1/amount: must be integer',
    });
    // No backoff: the rest went in the same run.
    expect(timers).toHaveLength(0);
    expect(engine.getSnapshot()).toMatchObject({ phase: 'idle', failures: 0, lastError: null });

    // Kept and shown, never resent: the next shift's event goes alone.
    await openShift(db, { cashier: 'Ben', openingFloat: 0 }, new Date(START + 600_000));
    await engine.syncNow();
    expect(server.shiftPushes.at(-1)?.events.map((event) => event.kind)).toEqual(['opened']);
    expect(await listRejectedShiftEvents(db)).toEqual([after[1]]);
    expect(await countUnsentShiftEvents(db)).toBe(0);
  });

  it('[I9][SHIFT-2] every event a 400 names is set aside, with each of its reasons', async () => {
    const [opened, movement, closed] = await threeEvents();
    server.nextShifts(
      invalid('Invalid request', [
        { path: '/events/0/cashier', message: 'must NOT have more than 60 characters' },
        { path: '/events/2', message: 'must match a schema in anyOf' },
        { path: '/events/0/at', message: 'must match format "date-time"' },
      ]),
    );
    const { engine } = harness();
    engine.start();
    await engine.whenIdle();
    expect(server.shiftPushes.at(-1)?.events.map((event) => event.id)).toEqual([movement.id]);
    expect(await db.shiftEvents.get(opened.id)).toMatchObject({
      syncState: 'rejected',
      rejectReason:
        '/events/0/cashier: must NOT have more than 60 characters; /events/0/at: must match format "date-time"',
    });
    expect(await db.shiftEvents.get(closed.id)).toMatchObject({
      syncState: 'rejected',
      rejectReason: '/events/2: must match a schema in anyOf',
    });
    expect(await db.shiftEvents.get(movement.id)).toMatchObject({ syncState: 'sent' });
  });

  it.each([
    ['no details', invalid('The body is empty; send a JSON object')],
    [
      'a path outside the events',
      invalid('Invalid request: /protocolVersion is required', [{ path: '/protocolVersion', message: 'is required' }]),
    ],
    [
      'an event that was not sent',
      invalid('Invalid request: /events/7/amount must be integer', [
        { path: '/events/7/amount', message: 'must be integer' },
      ]),
    ],
  ] as const)(
    '[I9][SHIFT-2] a 400 with %s sets the first event aside with the server message, so the queue never jams',
    async (_name, behaviour) => {
      const [opened, movement, closed] = await threeEvents();
      server.nextShifts(behaviour);
      const { engine, timers } = harness();
      engine.start();
      await engine.whenIdle();
      expect(await db.shiftEvents.get(opened.id)).toMatchObject({
        syncState: 'rejected',
        rejectReason: behaviour.body.message,
      });
      expect(server.shiftPushes.at(-1)?.events.map((event) => event.id)).toEqual([movement.id, closed.id]);
      expect((await events()).map((record) => record.syncState)).toEqual(['rejected', 'sent', 'sent']);
      expect(timers).toHaveLength(0);
    },
  );
});

describe('shift trouble never holds up a sale', () => {
  it.each([
    ['a 503', { status: 503 }],
    ['a 429 with Retry-After', { status: 429, headers: { 'retry-after': '30' }, body: { error: 'rate_limited' } }],
    ['a timeout', 'hang'],
    ['a 400 that is not an API error', { status: 400, body: '<html>Bad Request</html>' }],
  ] as const)(
    '[I9][SYNC-10] after %s on /sync/shifts, a sale recorded meanwhile is pushed at once',
    async (_name, behaviour) => {
      await oneShift();
      server.nextShifts(behaviour, behaviour);
      const { engine, timers, clock } = harness();
      engine.start();
      await engine.whenIdle();
      const shiftWait = timers.at(-1);
      if (!shiftWait) throw new Error('the shift events should be backing off');
      expect(engine.getSnapshot()).toMatchObject({ phase: 'backoff', failures: 1 });

      await recordSales(db, 1);
      engine.trigger('sale');
      await engine.whenIdle();
      expect(server.pushes.map((push) => push.seqs)).toEqual([[1]]);
      expect((await db.sales.toArray()).map((sale) => sale.syncState)).toEqual(['sent']);
      // The shift events still wait for their own timer, which the sale did not touch.
      expect(server.shiftPushes).toHaveLength(1);
      expect(shiftWait.cleared).toBe(false);
      expect(engine.getSnapshot()).toMatchObject({ phase: 'backoff', nextAttemptAt: START + shiftWait.ms });

      // Their retry fails again: the next sale still goes at once.
      clock.now += shiftWait.ms;
      shiftWait.fire();
      await engine.whenIdle();
      expect(server.shiftPushes).toHaveLength(2);
      await recordSales(db, 1);
      engine.trigger('sale');
      await engine.whenIdle();
      expect(server.pushes.map((push) => push.seqs)).toEqual([[1], [2]]);

      // Once the endpoint answers, the shift events go.
      const secondWait = timers.at(-1);
      clock.now += secondWait?.ms ?? 0;
      secondWait?.fire();
      await engine.whenIdle();
      expect((await events()).map((record) => record.syncState)).toEqual(['sent', 'sent', 'sent']);
      expect(engine.getSnapshot()).toMatchObject({ phase: 'idle', failures: 0 });
    },
  );

  it('[SYNC-10] backing-off shift events: a new one waits for their timer, `online` cuts the wait short', async () => {
    await oneShift();
    server.nextShifts({ status: 503 });
    const { engine, timers } = harness();
    engine.start();
    await engine.whenIdle();
    await openShift(db, { cashier: 'Ben', openingFloat: 0 }, new Date(START + 600_000));
    engine.trigger('shift');
    await engine.whenIdle();
    expect(server.shiftPushes).toHaveLength(1);

    engine.trigger('online');
    await engine.whenIdle();
    expect(timers[0]?.cleared).toBe(true);
    expect(server.shiftPushes.map((push) => push.events.length)).toEqual([3, 4]);
    expect(await countUnsentShiftEvents(db)).toBe(0);
  });

  it('[SYNC-10] shift events wait behind sales that back off: their own timer sends nothing before the sales go', async () => {
    await oneShift();
    server.nextShifts({ status: 503 });
    const { engine, timers } = harness();
    engine.start();
    await engine.whenIdle();
    await recordSales(db, 1);
    server.next({ status: 503 });
    engine.trigger('sale');
    await engine.whenIdle();
    const [shiftWait, saleWait] = timers;
    expect(server.pushes).toHaveLength(1);

    shiftWait?.fire();
    await engine.whenIdle();
    expect([server.pushes.length, server.shiftPushes.length]).toEqual([1, 1]);

    saleWait?.fire();
    await engine.whenIdle();
    expect([server.pushes.length, server.shiftPushes.length]).toEqual([2, 2]);
    expect((await db.sales.toArray()).map((sale) => sale.syncState)).toEqual(['sent']);
    expect(await countUnsentShiftEvents(db)).toBe(0);
  });
});
