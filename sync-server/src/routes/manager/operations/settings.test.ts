import { API_PREFIX, type CatalogResponse, type StoreSettings, type StoreSettingsResponse } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, rows, startTestServer, type TestServer } from '../../../../test/helper.ts';
import { addManager, demoTenantId, type ManagerClient, signIn } from '../../../../test/manager-helper.ts';

let server: TestServer;
let owner: ManagerClient;
let manager: ManagerClient;
beforeAll(async () => {
  server = await startTestServer();
  owner = await signIn(server);
  manager = await addManager(server, {
    tenantId: await demoTenantId(server),
    role: 'manager',
    storeIds: [server.store.id],
    email: 'shift-lead@demo.test',
  });
});
afterAll(async () => {
  await server.close();
});

const settingsOf = async (client: ManagerClient) =>
  (await client.get(client.store('/settings'))).json<StoreSettingsResponse>();
const storeRow = () =>
  rows<{ name: string; timezone: string; catalog_version: number }>(server.sql, 'stores', { id: server.store.id })[0];

function changed(settings: StoreSettings, patch: Partial<StoreSettings>): StoreSettings {
  return { ...settings, ...patch };
}

describe('console: store settings', () => {
  it('[MGR-5] anyone of the store reads the settings, tax rates and card limits', async () => {
    const body = await settingsOf(manager);
    expect(body).toMatchObject({
      storeId: server.store.id,
      code: 'DEMO',
      currency: 'USD',
      settings: {
        name: server.store.name,
        timezone: 'America/New_York',
        taxMode: 'exclusive',
        cardOfflineLimits: server.store.cardOfflineLimits,
      },
    });
    expect(Array.isArray(body.settings.taxRates)).toBe(true);
  });

  it('[MGR-6] a manager may not change store settings (403 forbidden), nothing changes', async () => {
    const { settings } = await settingsOf(manager);
    const before = storeRow();
    const response = await manager.send('PUT', manager.store('/settings'), changed(settings, { name: 'Renamed' }));
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe('forbidden');
    const invalid = await manager.send('PUT', manager.store('/settings'), { name: '' });
    expect(invalid.statusCode).toBe(403);
    expect(storeRow()).toEqual(before);
  });

  it('[MGR-3] a settings change without the CSRF token is refused, nothing changes', async () => {
    const { settings } = await settingsOf(owner);
    const before = storeRow();
    const response = await owner.send('PUT', owner.store('/settings'), changed(settings, { name: 'Renamed' }), {
      csrf: null,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe('csrf_failed');
    expect(storeRow()).toEqual(before);
  });

  it('[MGR-6] an unknown time zone is 400 with a detail at /timezone, nothing changes', async () => {
    const { settings } = await settingsOf(owner);
    const before = storeRow();
    const response = await owner.send('PUT', owner.store('/settings'), changed(settings, { timezone: 'Mars/Olympus' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/timezone' }] });
    expect(storeRow()).toEqual(before);
  });

  it('[MGR-10][MGR-8] an owner’s change reaches a till on its next catalog sync, audited with before and after', async () => {
    const till = await server.enroll();
    const sync = async (since: number) =>
      (
        await server.app.inject({ method: 'GET', url: `${API_PREFIX}/catalog?since=${since}`, headers: till.headers })
      ).json<CatalogResponse>();
    const tillVersion = (await sync(0)).version;

    const { settings } = await settingsOf(owner);
    const next = changed(settings, {
      name: 'Demo Shop — Riverside',
      timezone: 'America/Chicago',
      taxRates: [
        { id: 'standard', name: 'Sales tax', rateBp: 825 },
        { id: 'exempt', name: 'Exempt', rateBp: 0 },
      ],
      cardOfflineLimits: { maxPerPayment: 5000, maxTotalPerDevice: 20000, maxAgeMinutes: 120 },
    });
    const response = await owner.send('PUT', owner.store('/settings'), next);
    expect(response.statusCode).toBe(200);
    const saved = response.json<StoreSettingsResponse>();
    expect(saved.settings).toEqual(next);
    expect(saved.catalogVersion).toBeGreaterThan(tillVersion);

    const delta = await sync(tillVersion);
    expect(delta.version).toBe(saved.catalogVersion);
    expect(delta.store).toMatchObject({
      name: 'Demo Shop — Riverside',
      timezone: 'America/Chicago',
      cardOfflineLimits: { maxPerPayment: 5000, maxTotalPerDevice: 20000, maxAgeMinutes: 120 },
    });

    const audit = rows<{ manager_email: string; detail: string }>(server.sql, 'audit_log', {
      action: 'settings.update',
    }).at(-1);
    expect(audit?.manager_email).toBe('owner@demo.test');
    const detail = JSON.parse(audit?.detail ?? '{}');
    expect(detail.before).toMatchObject({ name: settings.name, timezone: 'America/New_York' });
    expect(detail.after).toMatchObject({ name: 'Demo Shop — Riverside', timezone: 'America/Chicago' });
    expect(detail.before).not.toHaveProperty('locale');

    // The same settings again: nothing to change, no new version, no audit row.
    const audits = count(server.sql, 'audit_log');
    const again = await owner.send('PUT', owner.store('/settings'), next);
    expect(again.json<StoreSettingsResponse>().catalogVersion).toBe(saved.catalogVersion);
    expect(count(server.sql, 'audit_log')).toBe(audits);
  });
});
