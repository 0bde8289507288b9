import type { DaySummary } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../../../test/gateway-helper.ts';
import { startTestServer, type TestServer } from '../../../../test/helper.ts';
import { signIn } from '../../../../test/manager-helper.ts';
import { madeAt, okJson } from '../../../../test/reconciliation-helper.ts';

let gateway: TestGateway;
let server: TestServer;
beforeAll(async () => {
  gateway = await startTestGateway();
  server = await startTestServer(gatewayEnv(gateway));
});
afterAll(async () => {
  await server.close();
  await gateway.close();
});

describe('the Today page', () => {
  it('[MGR-9] today by default: the store-time day of now; card payments waiting at each hour until they are captured', async () => {
    // 09:00Z on 2 March is 04:00 in New York. Two stored card payments arrive an hour apart and
    // are captured at 10:30Z.
    const till = await server.enroll();
    const first = await till.nextCardSale({}, madeAt('2026-03-02T08:55:00.000Z'));
    expect((await till.push(till.pushBody([first]))).statusCode).toBe(200);
    server.clock.advance(3_600_000);
    const second = await till.nextCardSale({}, madeAt('2026-03-02T09:55:00.000Z'));
    expect((await till.push(till.pushBody([second]))).statusCode).toBe(200);
    server.clock.advance(30 * 60_000);
    await gateway.control.setFault({ mode: 'up' });
    expect(await server.app.captureWorker?.runOnce(10)).toBe(2);
    server.clock.advance(40 * 60_000); // 11:10Z
    expect((await till.push(till.pushBody([]))).statusCode).toBe(200); // a heartbeat: the till is not silent

    const manager = await signIn(server);
    const today = okJson<DaySummary>(await manager.get(manager.store('/today')));
    expect(today).toMatchObject({
      date: '2026-03-02',
      from: '2026-03-02T05:00:00.000Z',
      to: '2026-03-03T05:00:00.000Z',
    });
    expect(today.backlog.map((point) => [point.at.slice(11, 16), point.count, point.amount])).toEqual([
      ['05:00', 0, 0],
      ['06:00', 0, 0],
      ['07:00', 0, 0],
      ['08:00', 0, 0],
      ['09:00', 1, 1353],
      ['10:00', 2, 2706],
      ['11:00', 0, 0],
    ]);
    expect(today.cardOutcomes.captured).toEqual({ count: 2, amount: 2706 });
    expect(today.salesPerHour.filter((hour) => hour.count > 0)).toEqual([
      { hour: 3, count: 1, total: 1353 },
      { hour: 4, count: 1, total: 1353 },
    ]);
    expect(today.alerts).toEqual([]);
  });

  it('[MGR-9] a till silent too long and one without persistent storage are raised; a day that does not exist is a 400', async () => {
    const quiet = await server.enroll('Quiet till');
    const fragile = await server.enroll('Fragile till');
    expect(
      (
        await fragile.push({
          ...fragile.pushBody([]),
          deviceStatus: { appVersion: '0.1.0-test', unsentCount: 0, oldestUnsentAt: null, storagePersisted: false },
        })
      ).statusCode,
    ).toBe(200);
    server.clock.advance(61 * 60_000);
    const manager = await signIn(server);
    const today = okJson<DaySummary>(await manager.get(manager.store('/today')));
    const silent = today.alerts.find((alert) => alert.kind === 'silent_device');
    expect(silent).toMatchObject({ severity: 'warning', page: 'devices' });
    expect(silent?.message).toContain(quiet.enrollment.deviceName);
    expect(today.alerts.find((alert) => alert.kind === 'storage_not_persisted')).toMatchObject({
      count: 1,
      message: expect.stringContaining('Fragile till'),
    });
    const bad = await manager.get(manager.store('/today'), { date: '2026-02-29' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/querystring/date' }] });
  });
});
