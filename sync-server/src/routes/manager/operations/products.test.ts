import {
  API_PREFIX,
  type CatalogImportResponse,
  type CatalogResponse,
  type ManagerProduct,
  type ProductInput,
  type ProductsResponse,
} from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, rows, startTestServer, type TestServer, type TestTill } from '../../../../test/helper.ts';
import { type ManagerClient, signIn } from '../../../../test/manager-helper.ts';

let server: TestServer;
let owner: ManagerClient;
let till: TestTill;
beforeAll(async () => {
  server = await startTestServer();
  owner = await signIn(server);
  till = await server.enroll();
});
afterAll(async () => {
  await server.close();
});

const products = async () => (await owner.get(owner.store('/products'))).json<ProductsResponse>();
const catalogSince = async (since: number) =>
  (
    await server.app.inject({ method: 'GET', url: `${API_PREFIX}/catalog?since=${since}`, headers: till.headers })
  ).json<CatalogResponse>();
const productRows = () => rows<{ sku: string; price: number; version: number }>(server.sql, 'products');
const auditOf = (action: string) =>
  rows<{ manager_email: string; target_id: string; detail: string }>(server.sql, 'audit_log', { action });

const scone: ProductInput = {
  sku: 'BAK-900',
  name: 'Cheese Scone',
  category: 'Bakery',
  barcodes: ['2000000009001'],
  price: 395,
  taxRateBp: 825,
  active: true,
};

describe('console: products', () => {
  it('[MGR-10][MGR-8] a new product bumps the catalog version, reaches the till and is audited', async () => {
    const { catalogVersion } = await products();
    const response = await owner.send('POST', owner.store('/products'), scone);
    expect(response.statusCode).toBe(201);
    const product = response.json<ManagerProduct>();
    expect(product).toMatchObject({ ...scone, version: catalogVersion + 1 });
    const delta = await catalogSince(catalogVersion);
    expect(delta.products.map((p) => p.sku)).toEqual(['BAK-900']);
    expect(auditOf('product.create').at(-1)).toMatchObject({ target_id: product.id, manager_email: 'owner@demo.test' });
  });

  it('[MGR-10] a SKU already in the store is 409 sku_taken, nothing saved', async () => {
    const before = productRows();
    const response = await owner.send('POST', owner.store('/products'), { ...scone, name: 'Another scone' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toBe('sku_taken');
    expect(productRows()).toEqual(before);
  });

  it('[MGR-10][MGR-8] deactivating is a change with active false: the till drops it; the audit has the diff', async () => {
    const product = (await products()).products.find((p) => p.sku === 'BAK-900');
    if (product === undefined) throw new Error('scone missing');
    const response = await owner.send('PUT', owner.store(`/products/${product.id}`), { ...scone, active: false });
    expect(response.statusCode).toBe(200);
    expect(response.json<ManagerProduct>()).toMatchObject({ active: false, version: product.version + 1 });
    const delta = await catalogSince(product.version);
    expect(delta.products).toEqual([expect.objectContaining({ id: product.id, active: false })]);
    expect((await products()).products.find((p) => p.id === product.id)?.active).toBe(false);
    const detail = JSON.parse(auditOf('product.update').at(-1)?.detail ?? '{}');
    expect(detail).toMatchObject({ before: { active: true }, after: { active: false } });
    expect(detail.before).not.toHaveProperty('price');
  });

  it('[MGR-5] a product id that is not the store’s is 404; writes need the CSRF token', async () => {
    const missing = await owner.send('PUT', owner.store('/products/0190a000-0000-7000-8000-000000000000'), scone);
    expect(missing.statusCode).toBe(404);
    const before = productRows();
    const audits = count(server.sql, 'audit_log');
    const post = await owner.send('POST', owner.store('/products'), { ...scone, sku: 'NEW-1' }, { csrf: null });
    const product = (await products()).products[0];
    const put = await owner.send('PUT', owner.store(`/products/${product?.id}`), scone, { csrf: 'nope' });
    const csv = await owner.send(
      'POST',
      owner.store('/products/import'),
      { csv: 'sku,name,price,tax_rate\nX-1,X,1.00,0' },
      { csrf: null },
    );
    for (const response of [post, put, csv]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toBe('csrf_failed');
    }
    expect(productRows()).toEqual(before);
    expect(count(server.sql, 'audit_log')).toBe(audits);
  });
});

describe('console: catalog CSV import', () => {
  it('[MGR-10][MGR-8] upserts by SKU in one go: created, updated, unchanged; one new version; one audit row', async () => {
    const { catalogVersion, products: existing } = await products();
    const latte = existing.find((p) => p.sku === 'COF-004');
    const espresso = existing.find((p) => p.sku === 'COF-001');
    if (latte === undefined || espresso === undefined) throw new Error('demo products missing');
    const csv = [
      '\uFEFFsku,name,category,price,tax_rate,barcodes,active',
      `COF-004,"Latte, oat milk",Coffee,4.75,8.25,${latte.barcodes.join('|')},true`,
      `COF-001,Espresso,Coffee,3.00,8.25,${espresso.barcodes.join('|')},`,
      'NEW-100,"The ""Big"" Cookie",Bakery,2.49,8.25,2000000010001|2000000010002,yes',
    ].join('\r\n');
    const response = await owner.send('POST', owner.store('/products/import'), { csv });
    expect(response.statusCode).toBe(200);
    expect(response.json<CatalogImportResponse>()).toEqual({
      created: 1,
      updated: 1,
      unchanged: 1,
      catalogVersion: catalogVersion + 1,
    });
    const after = (await products()).products;
    expect(after.find((p) => p.sku === 'COF-004')).toMatchObject({ name: 'Latte, oat milk', price: 475 });
    expect(after.find((p) => p.sku === 'NEW-100')).toMatchObject({
      name: 'The "Big" Cookie',
      price: 249,
      taxRateBp: 825,
      barcodes: ['2000000010001', '2000000010002'],
      active: true,
    });
    const delta = await catalogSince(catalogVersion);
    expect(delta.products.map((p) => p.sku).sort()).toEqual(['COF-004', 'NEW-100']);
    const audit = auditOf('catalog.import').at(-1);
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
  });

  it('[MGR-10] a file with bad rows lists every bad row and saves nothing', async () => {
    const before = productRows();
    const { catalogVersion } = await products();
    const audits = count(server.sql, 'audit_log');
    const csv = [
      'sku,name,category,price,tax_rate,barcodes,active',
      'GOOD-1,Fine,Cat,1.00,5,,',
      'BAD-1,Price,Cat,abc,5,,',
      'GOOD-2,Fine too,Cat,2.00,5,,',
      'BAD-2,Tax,Cat,1.00,101,,',
      ',No sku,Cat,1.00,5,,',
    ].join('\n');
    const response = await owner.send('POST', owner.store('/products/import'), { csv });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toBe('invalid_request');
    expect(body.details.map((detail: { path: string }) => detail.path)).toEqual(['/rows/2', '/rows/4', '/rows/5']);
    expect(body.message).toMatch(/3 rows have problems; nothing was imported/);
    expect(productRows()).toEqual(before);
    expect((await products()).catalogVersion).toBe(catalogVersion);
    expect(count(server.sql, 'audit_log')).toBe(audits);
  });
});
