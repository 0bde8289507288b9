import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../test/helper.ts';
import { type OtherTenant, signIn, startOtherTenant } from '../../../../test/manager-helper.ts';
import { madeAt, okJson } from '../../../../test/reconciliation-helper.ts';

/** Every reconciliation route answers another tenant's store exactly like a store that does not exist. */
const ROUTES = [
  '/today',
  '/reports/day',
  '/shifts',
  '/audit',
  '/exports/sales.csv',
  '/exports/payments.csv',
  '/exports/batches.csv',
] as const;

let server: TestServer;
let tenantB: OtherTenant;
beforeAll(async () => {
  server = await startTestServer();
  const till = await server.enroll();
  const sale = await till.nextSale(
    madeAt('2026-03-02T14:00:00.000Z', { shiftId: crypto.randomUUID(), cashier: 'Ana' }),
  );
  expect((await till.push(till.pushBody([sale]))).statusCode).toBe(200);
  tenantB = await startOtherTenant(server);
});
afterAll(async () => {
  await server.close();
});

describe('reconciliation routes stay inside the manager’s tenant', () => {
  it.each(ROUTES)(
    '[MGR-5][I10] tenant B’s owner asking for tenant A’s store: %s is 404 with no data',
    async (route) => {
      const response = await tenantB.owner.get(`/stores/${server.store.id}${route}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', message: 'No such store' });
      expect(response.headers['content-disposition']).toBeUndefined();
      const unknownStore = await tenantB.owner.get(`/stores/0198a1b2-0000-7000-8000-000000000000${route}`);
      expect(unknownStore.statusCode).toBe(404);
      expect(unknownStore.body).toBe(response.body);
    },
  );

  it.each(ROUTES)('[MGR-2] %s needs a session', async (route) => {
    const response = await server.app.inject({
      method: 'GET',
      url: `/api/v1/manager/stores/${server.store.id}${route}`,
    });
    expect(response.statusCode).toBe(401);
  });

  it('[MGR-5][I10] tenant A’s figures never include tenant B’s sales, and B sees only its own', async () => {
    const sale = await tenantB.till.nextSale(madeAt('2026-03-02T15:00:00.000Z'));
    expect((await tenantB.till.push(tenantB.till.pushBody([sale]))).statusCode).toBe(200);
    const owner = await signIn(server);
    const mine = okJson<{ sales: { count: number } }>(await owner.get(owner.store('/today'), { date: '2026-03-02' }));
    const theirs = okJson<{ sales: { count: number } }>(
      await tenantB.owner.get(`/stores/${tenantB.store.id}/today`, { date: '2026-03-02' }),
    );
    expect(mine.sales.count).toBe(1);
    expect(theirs.sales.count).toBe(1);
    const csv = (await tenantB.owner.get(`/stores/${tenantB.store.id}/exports/sales.csv`, { from: '2026-03-02' })).body;
    expect(csv).toContain('TB-');
    expect(csv).not.toContain('DEMO-');
    const shifts = okJson<{ shifts: unknown[] }>(await tenantB.owner.get(`/stores/${tenantB.store.id}/shifts`));
    expect(shifts.shifts).toEqual([]);
  });
});
