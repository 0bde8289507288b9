import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS } from './config.ts';

describe('loadConfig', () => {
  it('[config] defaults: 127.0.0.1:8080, ./data/till.sqlite, info, 2 MiB, 1440 min', () => {
    const config = loadConfig({}, '/srv/till');
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/till/data',
      database: { kind: 'sqlite', file: '/srv/till/data/till.sqlite' },
      logLevel: 'info',
      bodyLimitBytes: 2 * 1024 * 1024,
      enrollmentCodeTtlMinutes: 1440,
    });
    expect(config.pwaDir).toMatch(/pwa\/dist$/);
  });

  it('[config] PORT=0 (any free port) and DATABASE_URL sqlite:/file: are accepted', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/till/ledger.sqlite' }).database).toEqual({
      kind: 'sqlite',
      file: '/var/lib/till/ledger.sqlite',
    });
    expect(loadConfig({ DATABASE_URL: 'file:///tmp/x.sqlite' }).database).toEqual({
      kind: 'sqlite',
      file: '/tmp/x.sqlite',
    });
  });

  it('[config] invalid values fail fast, every problem named in one message', () => {
    const load = () =>
      loadConfig({
        PORT: '80a',
        LOG_LEVEL: 'loud',
        BODY_LIMIT_BYTES: '-5',
        DATABASE_URL: 'mssql://server/db',
        ENROLLMENT_CODE_TTL_MINUTES: '0',
      });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(5);
      expect((error as ConfigError).message).toContain('DATABASE_URL needs User ID and Password');
      expect((error as ConfigError).message).toContain('PORT must be an integer from 0 to 65535, got "80a"');
    }
  });

  it('[config] a relative DATABASE_URL path is refused', () => {
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:till.sqlite' })).toThrow(/absolute file path/);
  });
});

describe('loadConfig: payments', () => {
  it('[config] gateway and worker defaults: no gateway, simulator key, 4 s timeout, 20/s, worker on, 8 in flight', () => {
    expect(loadConfig({})).toMatchObject({
      gateway: { url: undefined, apiKey: 'sk_test_till_demo', timeoutMs: 4000, ratePerSecond: 20 },
      captureWorker: { enabled: true, concurrency: 8 },
    });
  });

  it('[config] gateway settings are read and checked', () => {
    const config = loadConfig({
      GATEWAY_URL: 'http://127.0.0.1:12111/',
      GATEWAY_API_KEY: 'sk_test_other',
      GATEWAY_TIMEOUT_MS: '1500',
      GATEWAY_RATE_PER_SECOND: '95',
      CAPTURE_WORKER: 'OFF',
      CAPTURE_CONCURRENCY: '16',
    });
    expect(config.gateway).toEqual({
      url: 'http://127.0.0.1:12111',
      apiKey: 'sk_test_other',
      timeoutMs: 1500,
      ratePerSecond: 95,
    });
    expect(config.captureWorker).toEqual({ enabled: false, concurrency: 16 });
    const bad = () =>
      loadConfig({
        GATEWAY_URL: 'ftp://x',
        CAPTURE_WORKER: 'maybe',
        GATEWAY_RATE_PER_SECOND: '0',
        GATEWAY_TIMEOUT_MS: 'x',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(4);
    }
    expect(() => loadConfig({ GATEWAY_URL: 'https://sk_live_secret@api.stripe.com' })).toThrow(
      /must not carry credentials/,
    );
  });
});

describe('loadConfig: load shedding', () => {
  it('[config][SCALE-1] defaults: 4 pushes in flight, 16 queued for 2 s; 16 live captures, 16 queued for 1 s', () => {
    expect(loadConfig({}).loadShedding).toEqual({
      push: { maxConcurrent: 4, queueLimit: 16, queueTimeoutMs: 2000 },
      capture: { maxConcurrent: 16, queueLimit: 16, queueTimeoutMs: 1000 },
    });
  });

  it('[config][SCALE-6] settings are read; MAX_CONCURRENT_… = 0 turns shedding off for that route', () => {
    const config = loadConfig({
      MAX_CONCURRENT_PUSHES: '2',
      PUSH_QUEUE_LIMIT: '0',
      PUSH_QUEUE_TIMEOUT_MS: '250',
      MAX_CONCURRENT_CAPTURES: '0',
    });
    expect(config.loadShedding).toEqual({
      push: { maxConcurrent: 2, queueLimit: 0, queueTimeoutMs: 250 },
      capture: null,
    });
  });

  it('[config] invalid load shedding settings are named', () => {
    try {
      loadConfig({ MAX_CONCURRENT_PUSHES: '-1', PUSH_QUEUE_TIMEOUT_MS: '0', CAPTURE_QUEUE_LIMIT: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems).toContain('MAX_CONCURRENT_PUSHES must be an integer from 0 to 1024, got "-1"');
      expect(problems.join('\n')).toMatch(/PUSH_QUEUE_TIMEOUT_MS[\s\S]*CAPTURE_QUEUE_LIMIT/);
    }
  });

  it('[docs] every setting is in the configuration tables of both READMEs', () => {
    for (const readme of ['../../README.md', '../README.md']) {
      const text = readFileSync(new URL(readme, import.meta.url), 'utf8');
      const missing = SETTINGS.map((setting) => setting.name).filter((name) => !text.includes(`| \`${name}\``));
      expect(missing, readme).toEqual([]);
    }
  });
});
