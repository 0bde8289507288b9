import { API_PREFIX, type CatalogResponse, uuidv7 } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startTestServer, type TestServer, type TestTill } from '../../test/helper.ts';

let server: TestServer;
let till: TestTill;
beforeAll(async () => {
  server = await startTestServer();
  till = await server.enroll();
});
afterAll(async () => {
  await server.close();
});

const catalog = (query = '') =>
  server.app.inject({ method: 'GET', url: `${API_PREFIX}/catalog${query}`, headers: till.headers });

describe('GET /api/v1/catalog', () => {
  it('[CAT-1] without since: every active product of the store, full=true, at the store version', async () => {
    const response = await catalog();
    expect(response.statusCode).toBe(200);
    const body = response.json<CatalogResponse>();
    const stored = rows(server.sql, 'products', { store_id: server.store.id, active: 1 });
    const [store] = rows(server.sql, 'stores', { id: server.store.id });

    expect(body).toMatchObject({ full: true, version: store?.catalog_version, store: server.store });
    expect(body.products).toHaveLength(stored.length);
    expect(body.products.length).toBeGreaterThanOrEqual(20);
    expect(new Set(body.products.map((p) => p.category))).toEqual(
      new Set(['Coffee', 'Bakery', 'Drinks', 'Snacks', 'Merch']),
    );
    const latte = body.products.find((p) => p.name === 'Latte');
    expect(latte).toMatchObject({ price: 450, taxRateBp: 825, active: true, sku: 'COF-004' });
    expect(latte?.barcodes[0]).toMatch(/^\d{13}$/);
  });

  it('[CAT-2] since=<version> returns only what changed after it, deactivated products included', async () => {
    const before = (await catalog()).json<CatalogResponse>();
    const latte = before.products.find((p) => p.name === 'Latte');
    const muffin = before.products.find((p) => p.name === 'Blueberry Muffin');
    if (!latte || !muffin) throw new Error('demo products missing');

    const version = await server.app.ledger.saveProducts(server.store.id, [
      { ...latte, price: 475 },
      { ...muffin, active: false },
      {
        id: uuidv7(),
        sku: 'DRI-099',
        name: 'Oat Milk Shot',
        category: 'Drinks',
        barcodes: [],
        price: 75,
        taxRateBp: 825,
        active: true,
      },
    ]);
    expect(version).toBe(before.version + 1);

    const changes = (await catalog(`?since=${before.version}`)).json<CatalogResponse>();
    expect(changes).toMatchObject({ full: false, version });
    expect(changes.products.map((p) => [p.sku, p.price, p.active, p.version]).sort()).toEqual(
      [
        ['COF-004', 475, true, version],
        [muffin.sku, muffin.price, false, version],
        ['DRI-099', 75, true, version],
      ].sort(),
    );
    expect(rows(server.sql, 'products', { sku: muffin.sku })[0]).toMatchObject({ active: 0, version });

    const nothingNew = (await catalog(`?since=${version}`)).json<CatalogResponse>();
    expect(nothingNew).toMatchObject({ full: false, version, products: [] });

    const full = (await catalog('?since=0')).json<CatalogResponse>();
    expect(full.full).toBe(true);
    expect(full.products.some((p) => p.sku === muffin.sku)).toBe(false);
    expect(full.products).toHaveLength(before.products.length);
  });

  it('[CAT-2] a since ahead of the server (its ledger was reset) gets the full catalog', async () => {
    const body = (await catalog('?since=9999')).json<CatalogResponse>();
    expect(body.full).toBe(true);
    expect(body.products.every((p) => p.active)).toBe(true);
  });

  it('[ERR-2] a since that is not a non-negative integer is 400 with a details path', async () => {
    for (const since of ['-1', 'abc']) {
      const response = await catalog(`?since=${since}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/querystring/since' }] });
    }
  });

  it('[I10] without a token the catalog is 401', async () => {
    const response = await server.app.inject({ method: 'GET', url: `${API_PREFIX}/catalog` });
    expect(response.statusCode).toBe(401);
  });
});
