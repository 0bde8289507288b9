import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_PREFIX, type HealthResponse } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/helper.ts';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('health, docs and unknown routes', () => {
  it('[ops] GET /api/v1/health answers ok with the database check', async () => {
    const response = await server.app.inject({ method: 'GET', url: `${API_PREFIX}/health` });
    expect(response.statusCode).toBe(200);
    expect(response.json<HealthResponse>()).toEqual({
      status: 'ok',
      version: expect.any(String),
      protocolVersion: 1,
      time: server.clock.now().toISOString(),
      checks: { database: 'ok' },
      load: {
        push: expect.objectContaining({ maxConcurrent: 4, queueLimit: 16, inFlight: 0, queued: 0 }),
        capture: expect.objectContaining({ maxConcurrent: 16, queueLimit: 16, inFlight: 0, queued: 0 }),
      },
    });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // Own origin only: no inline script, nothing framed, fetches only to this server.
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  it('[protocol] the OpenAPI document lists every device route and the console, with error responses', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{ openapi: string; paths: Record<string, Record<string, { responses: object }>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    expect(paths.filter((path) => !path.startsWith(`${API_PREFIX}/manager/`)).sort()).toEqual(
      [
        '/catalog',
        '/device',
        '/devices/enroll',
        '/health',
        '/sync/push',
        '/sync/shifts',
        '/payments/capture',
        '/payments/updates',
      ]
        .map((path) => API_PREFIX + path)
        .sort(),
    );
    // The console is documented too: sign-in and every store-scoped route.
    expect(paths).toContain(`${API_PREFIX}/manager/session`);
    expect(paths).toContain(`${API_PREFIX}/manager/stores/{storeId}/payments/actions`);
    const push = doc.paths[`${API_PREFIX}/sync/push`]?.post;
    expect(Object.keys(push?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '429',
      '500',
    ]);
    const ui = await server.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
  });

  it('[ERR-3] an unknown route answers 404 in the API error shape', async () => {
    const response = await server.app.inject({ method: 'POST', url: `${API_PREFIX}/nope` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'not_found', message: `No route POST ${API_PREFIX}/nope.` });
  });

  it('[I8] neither the bearer token nor the request body reaches the logs', async () => {
    const lines: string[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'till-log-'));
    const config = loadConfig({ TILL_DATA_DIR: dataDir, LOG_LEVEL: 'trace', PWA_DIR: join(dataDir, 'none') });
    const app = await buildApp({ config, logStream: { write: (line) => lines.push(line) } });
    try {
      const token = `till_dev_${'Z'.repeat(43)}`;
      await app.inject({
        method: 'POST',
        url: `${API_PREFIX}/sync/push`,
        headers: { authorization: `Bearer ${token}` },
        payload: { protocolVersion: 1, batchId: 'secret-body-marker', sales: [] },
      });
      const log = lines.join('');
      expect(log).toContain('incoming request');
      expect(log).not.toContain('Z'.repeat(43));
      expect(log).not.toContain('secret-body-marker');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('serving the PWA', () => {
  let pwaDir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    pwaDir = mkdtempSync(join(tmpdir(), 'till-pwa-'));
    mkdirSync(join(pwaDir, 'assets'));
    writeFileSync(join(pwaDir, 'index.html'), '<!doctype html><title>Till</title>');
    writeFileSync(join(pwaDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(pwaDir, 'assets', 'index-abc123.js'), 'console.log(1);');
    const config = loadConfig({ TILL_DATA_DIR: join(pwaDir, 'data'), LOG_LEVEL: 'silent', PWA_DIR: pwaDir });
    app = await buildApp({ config });
  });
  afterAll(async () => {
    await app.close();
    rmSync(pwaDir, { recursive: true, force: true });
  });

  it('[pwa] index.html and sw.js are served no-cache; hashed assets are immutable', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>Till</title>');
    expect(index.headers['cache-control']).toBe('no-cache');
    const sw = await app.inject({ method: 'GET', url: '/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('[pwa] a page navigation to an app route gets index.html; API and asset misses stay JSON 404', async () => {
    const page = await app.inject({ method: 'GET', url: '/sell/cart', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Till</title>');
    expect(page.headers['cache-control']).toBe('no-cache');

    const api = await app.inject({ method: 'GET', url: `${API_PREFIX}/nope`, headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'not_found' });
    const asset = await app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(asset.statusCode).toBe(404);
    expect(asset.json()).toMatchObject({ error: 'not_found' });
  });
});
