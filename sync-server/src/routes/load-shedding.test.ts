import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { type AdmissionHealth, API_PREFIX, type HealthResponse, type PushResponse, uuidv7 } from '@till/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { count, startTestServer, type TestServer, type TestTill, tableCounts } from '../../test/helper.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(env: Record<string, string>): Promise<TestServer> {
  server = await startTestServer(env);
  return server;
}

function pushStats(test: TestServer): AdmissionHealth {
  const stats = test.app.loadShedding.health()?.push;
  if (stats === undefined) throw new Error('push shedding is off');
  return stats;
}

function captureStats(test: TestServer): AdmissionHealth {
  const stats = test.app.loadShedding.health()?.capture;
  if (stats === undefined) throw new Error('capture shedding is off');
  return stats;
}

/** Waits (real time) until `condition` holds; fails after 5 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

/**
 * A request whose body has not arrived yet: it passes authentication and admission (it holds
 * its slot, or waits in the queue) but cannot run until `send()` delivers the body.
 */
function heldRequest(test: TestServer, till: TestTill, url: string, body: object) {
  const stream = new PassThrough();
  const response = test.app.inject({
    method: 'POST',
    url: `${API_PREFIX}${url}`,
    headers: { ...till.headers, 'content-type': 'application/json' },
    payload: stream,
  });
  return {
    response,
    send(): Promise<LightMyRequestResponse> {
      stream.end(JSON.stringify(body));
      return response;
    },
  };
}

function expectShed(response: LightMyRequestResponse): number {
  expect(response.statusCode).toBe(429);
  expect(response.json()).toEqual({ error: 'rate_limited', message: expect.stringMatching(/retry the same request/) });
  const retryAfter = response.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  return Number(retryAfter);
}

describe('load shedding of pushes (SCALE)', () => {
  it('[SCALE-1] over capacity a push is answered 429 rate_limited with Retry-After and nothing is written', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '0' });
    const [busy, other] = [await test.enroll('busy'), await test.enroll('other')];
    const held = heldRequest(test, busy, '/sync/push', busy.pushBody(await busy.nextSales(2)));
    await until(() => pushStats(test).inFlight === 1, 'the first push to hold the slot');

    const before = tableCounts(test.sql);
    const body = other.pushBody(await other.nextSales(3));
    expectShed(await other.push(body));
    expect(tableCounts(test.sql)).toEqual(before);
    expect(pushStats(test)).toMatchObject({ inFlight: 1, admitted: 1, shed: 1, shedQueueFull: 1 });

    // The admitted push still succeeds, and the shed one succeeds when sent again, unchanged.
    expect((await held.send()).statusCode).toBe(200);
    const retried = await other.push(body);
    expect(retried.statusCode).toBe(200);
    expect(retried.json<PushResponse>().results.map((result) => result.status)).toEqual(['new', 'new', 'new']);
    expect(count(test.sql, 'sales')).toBe(5);
    expect(pushStats(test)).toMatchObject({ inFlight: 0, admitted: 2 });
  });

  it('[SCALE-2] a push waits in the bounded queue and runs when a slot frees; beyond the queue it is shed', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '1', PUSH_QUEUE_TIMEOUT_MS: '10000' });
    const [a, b, c] = [await test.enroll('a'), await test.enroll('b'), await test.enroll('c')];
    const first = heldRequest(test, a, '/sync/push', a.pushBody(await a.nextSales(1)));
    await until(() => pushStats(test).inFlight === 1, 'a to hold the slot');
    const queued = b.push(b.pushBody(await b.nextSales(1)));
    await until(() => pushStats(test).queued === 1, 'b to wait in the queue');

    expectShed(await c.push(c.pushBody(await c.nextSales(1))));
    expect(count(test.sql, 'sales')).toBe(0);

    expect((await first.send()).statusCode).toBe(200);
    expect((await queued).statusCode).toBe(200);
    expect(count(test.sql, 'sales')).toBe(2);
    expect(pushStats(test)).toMatchObject({ admitted: 2, shedQueueFull: 1, peakQueued: 1, inFlight: 0, queued: 0 });
  });

  it('[SCALE-2] a push that waits longer than PUSH_QUEUE_TIMEOUT_MS is answered 429 and writes nothing', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '4', PUSH_QUEUE_TIMEOUT_MS: '100' });
    const [a, b] = [await test.enroll('a'), await test.enroll('b')];
    const first = heldRequest(test, a, '/sync/push', a.pushBody(await a.nextSales(1)));
    await until(() => pushStats(test).inFlight === 1, 'a to hold the slot');

    const started = performance.now();
    expectShed(await b.push(b.pushBody(await b.nextSales(2))));
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(count(test.sql, 'sales')).toBe(0);
    expect(pushStats(test)).toMatchObject({ shedQueueTimeout: 1, queued: 0 });
    expect((await first.send()).statusCode).toBe(200);
  });

  it('[SCALE-3] a device has at most one push in flight: a concurrent second push from it gets 429 at once', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '4' });
    const [till, other] = [await test.enroll('till'), await test.enroll('other')];
    const sales = await till.nextSales(4);
    const first = heldRequest(test, till, '/sync/push', till.pushBody(sales.slice(0, 3)));
    await until(() => pushStats(test).inFlight === 1, 'the first push to hold its slot');

    // Slots are free, yet the same device is refused (overlapping sales, as two leader tabs would send).
    const before = tableCounts(test.sql);
    const second = till.pushBody(sales.slice(2, 4));
    expect(expectShed(await till.push(second))).toBe(1);
    expect(tableCounts(test.sql)).toEqual(before);
    expect((await other.push(other.pushBody(await other.nextSales(1)))).statusCode).toBe(200);

    expect((await first.send()).statusCode).toBe(200);
    const retried = await till.push(second);
    expect(retried.json<PushResponse>().results.map((result) => result.status)).toEqual(['duplicate', 'new']);
    expect(count(test.sql, 'sales', { device_id: till.deviceId })).toBe(4);
    expect(pushStats(test)).toMatchObject({ shedDeviceBusy: 1, inFlight: 0 });
  });

  it('[SCALE-5] health, device, catalog, payment updates and docs are never shed, and health counts the shedding', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '0' });
    const [busy, other] = [await test.enroll('busy'), await test.enroll('other')];
    const held = heldRequest(test, busy, '/sync/push', busy.pushBody(await busy.nextSales(1)));
    await until(() => pushStats(test).inFlight === 1, 'the push to hold the slot');
    expectShed(await other.push(other.pushBody(await other.nextSales(1))));

    const routes = ['/health', '/device', '/catalog', '/payments/updates?since=0'].map((path) => API_PREFIX + path);
    for (const url of [...routes, '/docs/json']) {
      const response = await test.app.inject({ method: 'GET', url, headers: other.headers });
      expect(response.statusCode, url).toBe(200);
    }
    const health = await test.app.inject({ method: 'GET', url: `${API_PREFIX}/health` });
    expect(health.json<HealthResponse>()).toMatchObject({
      status: 'ok',
      load: {
        push: { maxConcurrent: 1, queueLimit: 0, inFlight: 1, queued: 0, admitted: 1, shed: 1, waitingDevices: 1 },
        capture: { inFlight: 0, shed: 0 },
      },
    });
    expect((await held.send()).statusCode).toBe(200);
  });

  it('[SCALE-1][SCALE-2] under a burst from many devices every answer is 200 or 429, and after retries every sale is stored once', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '1' });
    const tills = await Promise.all(Array.from({ length: 12 }, (_, index) => test.enroll(`till ${index}`)));
    const bodies = await Promise.all(tills.map(async (till) => till.pushBody(await till.nextSales(5))));
    const statuses: number[] = [];
    let pending = tills.map((till, index) => ({ till, body: bodies[index] }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round > 20) throw new Error('pushes never all got in');
      const answers = await Promise.all(pending.map(({ till, body }) => till.push(body ?? {})));
      statuses.push(...answers.map((answer) => answer.statusCode));
      pending = pending.filter((_, index) => answers[index]?.statusCode !== 200);
    }
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(count(test.sql, 'sales')).toBe(60);
    expect(test.sql.prepare('select count(distinct id) as n from sales').get()).toEqual({ n: 60 });
    expect(count(test.sql, 'batches')).toBe(12);
  });

  it('[SCALE-2] a client that goes away while holding a slot or waiting gives its place back (real HTTP)', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '1', PUSH_QUEUE_TIMEOUT_MS: '10000' });
    const [a, b] = [await test.enroll('a'), await test.enroll('b')];
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = test.app.server.address() as AddressInfo;
    const openPush = (till: TestTill) => {
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `${API_PREFIX}/sync/push`,
        headers: { ...till.headers, 'content-type': 'application/json', 'content-length': '100000' },
      });
      request.on('error', () => {}); // we destroy it on purpose
      request.write('{"protocolVersion":1,'); // headers and part of the body: it never finishes
      return request;
    };
    const holding = openPush(a);
    await until(() => pushStats(test).inFlight === 1, 'a to hold the slot');
    const waiting = openPush(b);
    await until(() => pushStats(test).queued === 1, 'b to wait');

    waiting.destroy();
    await until(() => pushStats(test).queued === 0, 'b to leave the queue');
    expect(pushStats(test)).toMatchObject({ abandoned: 1, inFlight: 1 });
    holding.destroy();
    await until(() => pushStats(test).inFlight === 0, 'a to give its slot back');

    const response = await fetch(`http://127.0.0.1:${port}${API_PREFIX}/sync/push`, {
      method: 'POST',
      headers: { ...b.headers, 'content-type': 'application/json' },
      body: JSON.stringify(b.pushBody(await b.nextSales(1))),
    });
    expect(response.status).toBe(200);
    expect(count(test.sql, 'sales')).toBe(1);
  });

  it('[SCALE-1][AUTH-3] over capacity a push without a token is still 401; a well-formed unknown token is shed first', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '0' });
    const busy = await test.enroll('busy');
    const held = heldRequest(test, busy, '/sync/push', busy.pushBody(await busy.nextSales(1)));
    await until(() => pushStats(test).inFlight === 1, 'the push to hold the slot');
    const push = (authorization?: string) =>
      test.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/sync/push`,
        headers: authorization === undefined ? {} : { authorization },
        payload: { protocolVersion: 1, batchId: uuidv7(), sales: [] },
      });
    expect((await push()).statusCode).toBe(401);
    expect((await push('Bearer not-a-token')).statusCode).toBe(401);
    expectShed(await push(`Bearer till_dev_${'A'.repeat(43)}`));
    expect((await held.send()).statusCode).toBe(200);
    // Let in, the unknown token is refused by authentication and gives the slot straight back.
    expect((await push(`Bearer till_dev_${'A'.repeat(43)}`)).statusCode).toBe(401);
    expect(pushStats(test)).toMatchObject({ inFlight: 0, admitted: 2, shed: 1 });
  });

  it('[SCALE-6] MAX_CONCURRENT_PUSHES=0 turns push shedding off', async () => {
    const test = await start({ MAX_CONCURRENT_PUSHES: '0' });
    const till = await test.enroll();
    expect(test.app.loadShedding.health()?.push).toBeUndefined();
    expect((await till.push(till.pushBody(await till.nextSales(1)))).statusCode).toBe(200);
  });
});

describe('load shedding of live capture (SCALE)', () => {
  it('[SCALE-1][PAY-1] over capacity a live capture is answered 429 before anything is written or called', async () => {
    const test = await start({ MAX_CONCURRENT_CAPTURES: '1', CAPTURE_QUEUE_LIMIT: '0' });
    const [busy, other] = [await test.enroll('busy'), await test.enroll('other')];
    const capture = (saleId: string) => ({
      paymentId: uuidv7(),
      saleId,
      reference: 'DEMO-01-000001',
      amount: 1000,
      currency: test.store.currency,
      brand: 'visa',
      last4: '4242',
      gatewayToken: 'pm_card_visa',
    });
    const held = heldRequest(test, busy, '/payments/capture', capture(uuidv7()));
    await until(() => captureStats(test).inFlight === 1, 'the first capture to hold the slot');

    const before = tableCounts(test.sql);
    const response = await test.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/payments/capture`,
      headers: other.headers,
      payload: capture(uuidv7()),
    });
    expectShed(response);
    expect(tableCounts(test.sql)).toEqual(before);
    // No gateway is configured here, so the admitted one is answered 503 (the till stores it).
    expect((await held.send()).statusCode).toBe(503);
    expect(captureStats(test)).toMatchObject({ admitted: 1, shed: 1, inFlight: 0 });
  });
});
