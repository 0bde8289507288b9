import {
  API_PREFIX,
  PROTOCOL_VERSION,
  type ShiftCashMovement,
  type ShiftClosed,
  type ShiftEvent,
  type ShiftOpened,
  type ShiftPushResponse,
  uuidv7,
} from '@till/shared';
import type Database from 'better-sqlite3';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, rows, startTestServer, type TestServer, type TestTill } from '../../test/helper.ts';

let server: TestServer;
let till: TestTill;
beforeAll(async () => {
  server = await startTestServer();
  till = await server.enroll();
});
afterAll(async () => {
  await server.close();
});

/** One shift's events as a till makes them: opened with a float, 5.00 paid out, closed. */
function shiftEvents(shiftId: string = uuidv7()): {
  opened: ShiftOpened;
  paidOut: ShiftCashMovement;
  closed: ShiftClosed;
} {
  return {
    opened: {
      kind: 'opened',
      id: uuidv7(),
      shiftId,
      at: '2026-03-02T08:00:00.000Z',
      cashier: 'Anna',
      openingFloat: 15_000,
    },
    paidOut: {
      kind: 'cash_movement',
      id: uuidv7(),
      shiftId,
      at: '2026-03-02T10:00:00.000Z',
      amount: -500,
      reason: 'Milk for the coffee machine',
    },
    closed: {
      kind: 'closed',
      id: uuidv7(),
      shiftId,
      at: '2026-03-02T16:00:00.000Z',
      countedCash: 16_000,
      expectedCash: 16_100,
      saleCount: 12,
      lastSeq: 40,
      reason: 'Gave wrong change',
    },
  };
}

function pushShifts(from: TestTill, body: unknown, headers = from.headers): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/sync/shifts`,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

async function push(from: TestTill, events: ShiftEvent[]): Promise<ShiftPushResponse['results']> {
  const response = await pushShifts(from, { protocolVersion: PROTOCOL_VERSION, events });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ShiftPushResponse>().results;
}

function shiftRow(shiftId: string): Record<string, unknown> | undefined {
  return rows(server.sql, 'shifts', { id: shiftId })[0];
}

/** Everything the shift tables hold, to prove a request changed nothing. */
function shiftTables(sql: Database.Database): Record<string, unknown[]> {
  return Object.fromEntries(
    ['shifts', 'shift_events', 'shift_event_conflicts'].map((table) => [table, rows(sql, table)]),
  );
}

describe('POST /sync/shifts', () => {
  it('[SHIFT-1] a shift opened, paid out and closed is stored once per event and folded into one row', async () => {
    const { opened, paidOut, closed } = shiftEvents();
    expect(await push(till, [opened, paidOut, closed])).toEqual([
      { id: opened.id, status: 'new' },
      { id: paidOut.id, status: 'new' },
      { id: closed.id, status: 'new' },
    ]);
    expect(shiftRow(opened.shiftId)).toMatchObject({
      device_id: till.deviceId,
      store_id: server.store.id,
      cashier: 'Anna',
      opened_at: opened.at,
      opening_float: 15_000,
      cash_movements: -500,
      closed_at: closed.at,
      counted_cash: 16_000,
      till_expected_cash: 16_100,
      till_sale_count: 12,
      till_last_seq: 40,
      close_reason: 'Gave wrong change',
    });
    const stored = rows<{ kind: string; amount: number | null; payload: string }>(server.sql, 'shift_events', {
      shift_id: opened.shiftId,
    });
    expect(stored.map((row) => [row.kind, row.amount])).toEqual(
      expect.arrayContaining([
        ['opened', null],
        ['cash_movement', -500],
        ['closed', null],
      ]),
    );
    expect(stored.map((row) => JSON.parse(row.payload))).toEqual(expect.arrayContaining([opened, paidOut, closed]));
  });

  it('[SHIFT-2] a replayed push is answered duplicate and changes nothing', async () => {
    const { opened, paidOut } = shiftEvents();
    await push(till, [opened, paidOut]);
    const before = shiftTables(server.sql);
    server.clock.advance(60_000);
    expect(await push(till, [opened, paidOut])).toEqual([
      { id: opened.id, status: 'duplicate' },
      { id: paidOut.id, status: 'duplicate' },
    ]);
    expect(shiftTables(server.sql)).toEqual(before);
    expect(shiftRow(opened.shiftId)).toMatchObject({ cash_movements: -500 });
  });

  it('[SHIFT-2] the same id with other content is a conflict, kept aside; the original stays applied', async () => {
    const { opened, paidOut } = shiftEvents();
    await push(till, [opened, paidOut]);
    const tampered: ShiftCashMovement = { ...paidOut, amount: -50_000 };
    expect(await push(till, [tampered])).toEqual([{ id: paidOut.id, status: 'conflict' }]);
    expect(await push(till, [tampered])).toEqual([{ id: paidOut.id, status: 'conflict' }]);

    expect(shiftRow(opened.shiftId)).toMatchObject({ cash_movements: -500 });
    const [original] = rows<{ payload: string }>(server.sql, 'shift_events', { id: paidOut.id });
    expect(JSON.parse(original?.payload ?? '{}')).toEqual(paidOut);
    const conflicts = rows<{ payload: string; device_id: string }>(server.sql, 'shift_event_conflicts', {
      event_id: paidOut.id,
    });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.device_id).toBe(till.deviceId);
    expect(JSON.parse(conflicts[0]?.payload ?? '{}')).toEqual(tampered);
  });

  it('[SHIFT-2] events in any order fold to the same row (close before open)', async () => {
    const inOrder = shiftEvents();
    const reversed = shiftEvents();
    await push(till, [inOrder.opened, inOrder.paidOut, inOrder.closed]);
    expect(await push(till, [reversed.closed])).toEqual([{ id: reversed.closed.id, status: 'new' }]);
    expect(shiftRow(reversed.opened.shiftId)).toMatchObject({ opened_at: null, cashier: null, counted_cash: 16_000 });
    await push(till, [reversed.paidOut]);
    await push(till, [reversed.opened]);

    const { id: _a, updated_at: _b, ...expected } = shiftRow(inOrder.opened.shiftId) ?? {};
    const { id: _c, updated_at: _d, ...actual } = shiftRow(reversed.opened.shiftId) ?? {};
    expect(actual).toEqual(expected);
    expect(actual).toMatchObject({ cashier: 'Anna', opening_float: 15_000, cash_movements: -500 });
  });

  it("[SHIFT-2] an event naming another device's shift is a conflict and changes nothing there", async () => {
    const { opened, paidOut, closed } = shiftEvents();
    await push(till, [opened]);
    const other = await server.enroll('Back till');
    const before = shiftRow(opened.shiftId);
    expect(await push(other, [paidOut, closed])).toEqual([
      { id: paidOut.id, status: 'conflict' },
      { id: closed.id, status: 'conflict' },
    ]);
    expect(shiftRow(opened.shiftId)).toEqual(before);
    expect(count(server.sql, 'shift_events', { shift_id: opened.shiftId })).toBe(1);
    expect(count(server.sql, 'shift_event_conflicts', { device_id: other.deviceId })).toBe(2);
  });

  it('[SHIFT-1] without a device token the answer is 401 and nothing is written', async () => {
    const before = shiftTables(server.sql);
    const { opened } = shiftEvents();
    const response = await pushShifts(till, { protocolVersion: PROTOCOL_VERSION, events: [opened] }, {});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'unauthorized' });
    expect(shiftTables(server.sql)).toEqual(before);
  });

  it('[SHIFT-1] an invalid body is 400 with a JSON pointer and nothing of it is written', async () => {
    const before = shiftTables(server.sql);
    const { opened, paidOut } = shiftEvents();
    const response = await pushShifts(till, {
      protocolVersion: PROTOCOL_VERSION,
      events: [opened, { ...paidOut, amount: 1.5 }],
    });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; details: { path: string }[] }>();
    expect(body.error).toBe('invalid_request');
    expect(body.details.map((detail) => detail.path)).toContainEqual(expect.stringMatching(/^\/events\/1/));
    expect(shiftTables(server.sql)).toEqual(before);

    const empty = await pushShifts(till, { protocolVersion: PROTOCOL_VERSION, events: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/events' }] });
    const otherVersion = await pushShifts(till, { protocolVersion: 2, events: [opened] });
    expect(otherVersion.json()).toMatchObject({ error: 'unsupported_protocol_version' });
    expect(shiftTables(server.sql)).toEqual(before);
  });
});

describe('sales rung up in a shift', () => {
  it('[SHIFT-3] a sale carrying shiftId and cashier lands in sales.shift_id, cashier and cash_total', async () => {
    const shiftId = uuidv7();
    const sale = await till.nextSale((unsealed) => ({ ...unsealed, shiftId, cashier: 'Anna' }));
    const response = await till.push(till.pushBody([sale]));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ results: [{ saleId: sale.id, status: 'new', flags: [] }] });
    expect(rows(server.sql, 'sales', { id: sale.id })[0]).toMatchObject({
      shift_id: shiftId,
      cashier: 'Anna',
      cash_total: sale.totals.total,
      card_total: 0,
    });
  });
});
