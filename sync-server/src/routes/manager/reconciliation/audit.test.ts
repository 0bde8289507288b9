import { type AuditResponse, type AuditRow, CURRENCY_EXPONENTS, defaultCardOfflineLimits, uuidv7 } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startTestServer, type TestServer } from '../../../../test/helper.ts';
import {
  demoTenantId,
  type ManagerClient,
  signIn,
  startOtherTenant,
  TEST_PASSWORD,
} from '../../../../test/manager-helper.ts';
import { okJson } from '../../../../test/reconciliation-helper.ts';

let server: TestServer;
let owner: ManagerClient;
let otherStoreId: string;
let tenantBStoreId: string;

/** Every page of the store's audit log, following `nextBefore`. */
async function allPages(query: Record<string, string | number>): Promise<{ entries: AuditRow[]; pages: number }> {
  const entries: AuditRow[] = [];
  let before: string | null = null;
  let pages = 0;
  do {
    const page: AuditResponse = okJson(
      await owner.get(owner.store('/audit'), { ...query, ...(before !== null && { before }) }),
    );
    entries.push(...page.entries);
    before = page.nextBefore;
    pages += 1;
  } while (before !== null && pages < 50);
  return { entries, pages };
}

beforeAll(async () => {
  server = await startTestServer();
  owner = await signIn(server); // session.sign_in: tenant-wide (no store)
  // A second store of the same tenant, and tenant B: neither's store rows belong in this store's log.
  otherStoreId = uuidv7();
  await server.app.ledger.insertStore({
    id: otherStoreId,
    tenantId: await demoTenantId(server),
    code: 'SIDE',
    name: 'Side Street',
    currency: 'USD',
    taxMode: 'exclusive',
    locale: 'en-US',
    timezone: 'America/New_York',
    address: '3 Side Street',
    cardOfflineLimits: defaultCardOfflineLimits(CURRENCY_EXPONENTS.USD),
    createdAt: server.clock.now().toISOString(),
    taxRates: [],
  });
  const tenantB = await startOtherTenant(server);
  tenantBStoreId = tenantB.store.id;
  for (let i = 0; i < 3; i += 1) {
    server.clock.advance(60_000);
    expect((await owner.send('POST', owner.store('/enrollment-codes'))).statusCode).toBe(201);
    expect((await owner.send('POST', `/stores/${otherStoreId}/enrollment-codes`)).statusCode).toBe(201);
    expect((await tenantB.owner.send('POST', `/stores/${tenantBStoreId}/enrollment-codes`)).statusCode).toBe(201);
  }
  server.clock.advance(24 * 3_600_000); // into 3 March (New York)
  owner = await signIn(server);
  expect((await owner.send('POST', owner.store('/enrollment-codes'))).statusCode).toBe(201);
});
afterAll(async () => {
  await server.close();
});

describe('the audit log', () => {
  it('[MGR-8][I10] pages newest first through this store’s and the tenant-wide rows, and nothing else', async () => {
    const { entries, pages } = await allPages({ limit: 2 });
    const expected = rows<{ id: string; tenant_id: string; store_id: string | null; at: string }>(
      server.sql,
      'audit_log',
    )
      .filter((row) => row.tenant_id === owner.session.tenant.id)
      .filter((row) => row.store_id === owner.storeId || row.store_id === null)
      .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
    expect(entries.map((entry) => entry.id)).toEqual(expected.map((row) => row.id));
    expect(entries.map((entry) => entry.action)).toEqual([
      'device.enrollment_code',
      'session.sign_in',
      'device.enrollment_code',
      'device.enrollment_code',
      'device.enrollment_code',
      'session.sign_in',
    ]);
    expect(pages).toBe(3);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    expect(entries.every((entry) => entry.storeId === owner.storeId || entry.storeId === null)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(otherStoreId);
    expect(JSON.stringify(entries)).not.toContain(tenantBStoreId);
    expect(JSON.stringify(entries)).not.toContain('owner@b.test');
    expect(entries[0]).toMatchObject({
      managerEmail: 'owner@demo.test',
      targetType: expect.any(String),
      detail: expect.any(Object),
    });
  });

  it('[MGR-8] filters by store-time day and by exact action', async () => {
    const firstDay = okJson<AuditResponse>(
      await owner.get(owner.store('/audit'), { from: '2026-03-02', to: '2026-03-02' }),
    );
    expect(firstDay.entries.map((entry) => entry.action)).toEqual([
      'device.enrollment_code',
      'device.enrollment_code',
      'device.enrollment_code',
      'session.sign_in',
    ]);
    const secondDayOn = okJson<AuditResponse>(await owner.get(owner.store('/audit'), { from: '2026-03-03' }));
    expect(secondDayOn.entries.map((entry) => entry.action)).toEqual(['device.enrollment_code', 'session.sign_in']);
    const signIns = okJson<AuditResponse>(await owner.get(owner.store('/audit'), { action: 'session.sign_in' }));
    expect(signIns.entries).toHaveLength(2);
    expect(signIns.entries.every((entry) => entry.storeId === null)).toBe(true);
    const everything = okJson<AuditResponse>(await owner.get(owner.store('/audit'), { action: '' }));
    expect(everything.entries).toHaveLength(6);
    expect(everything.nextBefore).toBeNull();
  });

  it('[MGR-8] a cursor that is not ours is a 400, not a silent first page', async () => {
    const response = await owner.get(owner.store('/audit'), { before: 'not-a-cursor' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/querystring/before' }] });
  });

  it('[MGR-5][I10] tenant B’s owner sees none of tenant A’s rows, even with A’s cursor', async () => {
    const page = okJson<AuditResponse>(await owner.get(owner.store('/audit'), { limit: 1 }));
    const tenantB = await signIn(server, 'owner@b.test', TEST_PASSWORD);
    const theirs = okJson<AuditResponse>(
      await tenantB.get(`/stores/${tenantBStoreId}/audit`, { before: page.nextBefore ?? '' }),
    );
    expect(theirs.entries.length).toBeGreaterThan(0);
    expect(theirs.entries.every((entry) => entry.managerEmail === 'owner@b.test')).toBe(true);
    expect(theirs.entries.map((entry) => entry.id)).not.toContain(page.entries[0]?.id);
  });
});
