import {
  API_PREFIX,
  CURRENCY_EXPONENTS,
  defaultCardOfflineLimits,
  PROTOCOL_VERSION,
  type ProductsResponse,
  type PushResponse,
  type StoreSettingsResponse,
  uuidv7,
} from '@till/shared';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, rows, startTestServer, type TestServer } from '../../../test/helper.ts';
import {
  addManager,
  demoTenantId,
  type ManagerClient,
  type OtherTenant,
  signIn,
  startOtherTenant,
} from '../../../test/manager-helper.ts';

/**
 * I10 / MGR-5 across the whole console: a manager of tenant B (or a manager of tenant A limited
 * to one store) gets 404 — and no data — for every route of a store they may not see, and ids of
 * another tenant in params or bodies reach nothing, change nothing. The table below must name
 * every console route the app has: a new route without a row here fails the last test.
 */

/** The ids of one tenant's things, put into paths, queries and bodies. */
interface TenantIds {
  storeId: string;
  deviceId: string;
  batchId: string;
  saleId: string;
  productId: string;
  paymentId: string;
  issueId: string;
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT';
  /** As registered under /api/v1/manager/stores/:storeId. */
  path: string;
  query?: (ids: TenantIds) => Record<string, string>;
  body?: (ids: TenantIds) => unknown;
}

const CSV = 'sku,name,category,price,tax_rate,barcodes,active\nISO-1,Isolation test,Test,1.00,5,,true';

/** Every route under /manager/stores/:storeId, with a request that would succeed in scope. */
const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/today' },
  { method: 'GET', path: '/reports/day' },
  { method: 'GET', path: '/shifts' },
  { method: 'GET', path: '/audit' },
  { method: 'GET', path: '/exports/sales.csv' },
  { method: 'GET', path: '/exports/payments.csv' },
  { method: 'GET', path: '/exports/batches.csv' },
  { method: 'GET', path: '/devices' },
  { method: 'POST', path: '/enrollment-codes' },
  { method: 'POST', path: '/devices/:deviceId/revoke', body: () => ({ reason: 'isolation test' }) },
  { method: 'GET', path: '/batches', query: (ids) => ({ deviceId: ids.deviceId }) },
  { method: 'GET', path: '/batches/:batchId' },
  { method: 'GET', path: '/sales', query: (ids) => ({ deviceId: ids.deviceId }) },
  { method: 'GET', path: '/sales/:saleId' },
  { method: 'GET', path: '/payments', query: (ids) => ({ deviceId: ids.deviceId }) },
  {
    method: 'POST',
    path: '/payments/actions',
    body: (ids) => ({ action: 'write_off', paymentIds: [ids.paymentId], reason: 'isolation test' }),
  },
  { method: 'GET', path: '/settings' },
  { method: 'PUT', path: '/settings', body: () => settingsBody },
  { method: 'GET', path: '/products' },
  {
    method: 'POST',
    path: '/products',
    body: () => ({ ...productBody, sku: `ISO-${uuidv7().slice(-6)}` }),
  },
  { method: 'PUT', path: '/products/:productId', body: () => productBody },
  { method: 'POST', path: '/products/import', body: () => ({ csv: CSV }) },
  { method: 'GET', path: '/sequence-issues', query: () => ({ view: 'all' }) },
  { method: 'POST', path: '/sequence-issues/:issueId/acknowledge', body: () => ({ reason: 'isolation test' }) },
];

const productBody = {
  sku: 'ISO-PUT',
  name: 'Renamed by another tenant',
  category: 'Test',
  barcodes: [],
  price: 1,
  taxRateBp: 0,
  active: false,
};
let settingsBody: unknown;

const ID_PARAMS: Record<string, keyof TenantIds> = {
  ':deviceId': 'deviceId',
  ':batchId': 'batchId',
  ':saleId': 'saleId',
  ':productId': 'productId',
  ':issueId': 'issueId',
};

function urlOf(route: RouteCase, storeId: string, ids: TenantIds): string {
  let path = route.path;
  for (const [param, key] of Object.entries(ID_PARAMS)) path = path.replace(param, ids[key]);
  return `/stores/${storeId}${path}`;
}

function call(
  client: ManagerClient,
  route: RouteCase,
  storeId: string,
  ids: TenantIds,
): Promise<LightMyRequestResponse> {
  const url = urlOf(route, storeId, ids);
  if (route.method === 'GET') return client.get(url, route.query?.(ids) ?? {});
  return client.send(route.method, url, route.body?.(ids));
}

/** Method + path of every route Fastify has, read from its route tree. */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack.length = depth;
    stack.push(path);
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== '' && method !== 'HEAD') routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

let server: TestServer;
let tenantA: TenantIds & { tenantId: string; secondStoreId: string; strings: string[] };
let ownerA: ManagerClient;
let b: OtherTenant;
let tenantB: TenantIds;

/** Everything stored for tenant A, to prove that nothing of it changed. */
function snapshotOfA(): Record<string, unknown[]> {
  const tables = [
    'stores',
    'devices',
    'enrollment_codes',
    'products',
    'sales',
    'sale_conflicts',
    'sequence_issues',
    'batches',
    'payments',
    'payment_attempts',
    'audit_log',
    'shifts',
    'shift_events',
    'managers',
  ];
  return Object.fromEntries(tables.map((table) => [table, rows(server.sql, table, { tenant_id: tenantA.tenantId })]));
}

async function seedTenant(client: ManagerClient, till: OtherTenant['till'], storeId: string) {
  const card = await till.nextCardSale();
  await till.nextSale(); // never sent: a gap, so the device has a sequence issue
  const afterGap = await till.nextSale();
  const push = await till.push(till.pushBody([card, afterGap]));
  const { batchId } = push.json<PushResponse>();
  const issueId = rows<{ id: string }>(server.sql, 'sequence_issues', { device_id: till.deviceId })[0]?.id ?? '';
  const shiftId = uuidv7();
  const shift = await till.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/sync/shifts`,
    headers: { ...till.headers, 'content-type': 'application/json' },
    payload: JSON.stringify({
      protocolVersion: PROTOCOL_VERSION,
      events: [
        {
          kind: 'opened',
          id: uuidv7(),
          shiftId,
          at: server.clock.now().toISOString(),
          cashier: 'Ann',
          openingFloat: 100,
        },
      ],
    }),
  });
  expect(shift.statusCode).toBe(200);
  const products = (await client.get(`/stores/${storeId}/products`)).json<ProductsResponse>().products;
  const productId = products[0]?.id;
  if (productId === undefined) {
    const created = await client.send('POST', `/stores/${storeId}/products`, { ...productBody, sku: 'SEED-1' });
    return {
      storeId,
      deviceId: till.deviceId,
      batchId,
      saleId: card.id,
      productId: created.json().id,
      paymentId: cardOf(card).id,
      issueId,
      shiftId,
      receiptNo: card.receiptNo,
    };
  }
  return {
    storeId,
    deviceId: till.deviceId,
    batchId,
    saleId: card.id,
    productId,
    paymentId: cardOf(card).id,
    issueId,
    shiftId,
    receiptNo: card.receiptNo,
  };
}

beforeAll(async () => {
  server = await startTestServer();
  ownerA = await signIn(server);
  const tillA = await server.enroll('Till of A');
  const seededA = await seedTenant(ownerA, tillA, server.store.id);
  const tenantId = await demoTenantId(server);
  const secondStoreId = uuidv7();
  await server.app.ledger.insertStore({
    id: secondStoreId,
    tenantId,
    code: 'DEMO2',
    name: 'Demo Shop — Second Street',
    currency: 'USD',
    taxMode: 'exclusive',
    locale: 'en-US',
    timezone: 'America/New_York',
    address: '2 Second Street',
    cardOfflineLimits: defaultCardOfflineLimits(CURRENCY_EXPONENTS.USD),
    createdAt: server.clock.now().toISOString(),
    taxRates: [],
  });
  tenantA = {
    ...seededA,
    tenantId,
    secondStoreId,
    strings: [
      seededA.deviceId,
      seededA.batchId,
      seededA.saleId,
      seededA.productId,
      seededA.paymentId,
      seededA.shiftId,
      seededA.issueId,
      seededA.receiptNo,
      'Till of A',
    ],
  };
  b = await startOtherTenant(server);
  const seededB = await seedTenant(b.owner, b.till, b.store.id);
  tenantB = seededB;
  settingsBody = {
    ...(await ownerA.get(`/stores/${server.store.id}/settings`)).json<StoreSettingsResponse>().settings,
    name: 'Renamed by another tenant',
  };
});
afterAll(async () => {
  await server.close();
});

function expectNoDataOfA(response: LightMyRequestResponse, label: string): void {
  for (const text of tenantA.strings) expect(response.body, `${label} leaks ${text}`).not.toContain(text);
}

describe('[I10][MGR-5] tenant isolation of the manager console', () => {
  it('[I10] tenant B’s owner asking for tenant A’s store gets 404 on every route, without A’s data, and A is unchanged', async () => {
    const before = snapshotOfA();
    for (const route of ROUTES) {
      const response = await call(b.owner, route, tenantA.storeId, tenantA);
      const label = `${route.method} ${route.path}`;
      expect(response.statusCode, label).toBe(404);
      expect(response.json().error, label).toBe('not_found');
      expectNoDataOfA(response, label);
    }
    expect(snapshotOfA()).toEqual(before);
  });

  it('[I10] tenant B’s owner in B’s own store with A’s ids in params, queries and bodies reaches nothing of A', async () => {
    const before = snapshotOfA();
    const idsOfA = { ...tenantA, storeId: tenantB.storeId };
    for (const route of ROUTES) {
      const response = await call(b.owner, route, tenantB.storeId, idsOfA);
      const label = `${route.method} ${route.path}`;
      if (Object.keys(ID_PARAMS).some((param) => route.path.includes(param))) {
        expect(response.statusCode, label).toBe(404);
        expect(response.json().error, label).toBe('not_found');
      } else if (route.path === '/payments/actions') {
        expect(response.json().results, label).toEqual([
          { paymentId: tenantA.paymentId, outcome: 'not_found', state: null, message: expect.any(String) },
        ]);
      } else {
        expect(response.statusCode, label).toBeLessThan(300);
      }
      // A's payment id was sent in the body: the answer may name it back, nothing else of A.
      const strings =
        route.path === '/payments/actions' ? tenantA.strings.filter((s) => s !== tenantA.paymentId) : tenantA.strings;
      for (const text of strings) expect(response.body, `${label} leaks ${text}`).not.toContain(text);
    }
    expect(snapshotOfA()).toEqual(before);
  });

  it('[MGR-5] a manager limited to one store of tenant A gets 404 for the tenant’s other store, on every route', async () => {
    const limited = await addManager(server, {
      tenantId: tenantA.tenantId,
      role: 'manager',
      storeIds: [tenantA.storeId],
      email: 'one-store@demo.test',
    });
    expect((await limited.get(`/stores/${tenantA.storeId}/devices`)).statusCode).toBe(200);
    expect((await ownerA.get(`/stores/${tenantA.secondStoreId}/devices`)).statusCode).toBe(200);
    const secondStoreRows = () => rows(server.sql, 'stores', { id: tenantA.secondStoreId });
    const before = secondStoreRows();
    for (const route of ROUTES) {
      const response = await call(limited, route, tenantA.secondStoreId, tenantA);
      expect(response.statusCode, `${route.method} ${route.path}`).toBe(404);
    }
    expect(secondStoreRows()).toEqual(before);
    expect(rows(server.sql, 'products', { store_id: tenantA.secondStoreId })).toEqual([]);
  });

  it('[I10] the table above covers every console route the app has (a new route must be added here)', () => {
    const prefix = `${API_PREFIX}/manager/stores/:storeId`;
    const registered = registeredRoutes(server.app)
      .filter((route) => route.split(' ')[1]?.startsWith(`${prefix}/`))
      .map((route) => route.replace(prefix, ''))
      .sort();
    const covered = ROUTES.map((route) => `${route.method} ${route.path}`).sort();
    expect(registered.length).toBeGreaterThan(10);
    expect(registered).toEqual(covered);
  });
});
