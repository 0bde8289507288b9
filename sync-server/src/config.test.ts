import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/till/ledger.sqlite' }).database.file).toBe(
      '/var/lib/till/ledger.sqlite',
    );
    expect(loadConfig({ DATABASE_URL: 'file:///tmp/x.sqlite' }).database.file).toBe('/tmp/x.sqlite');
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
      expect((error as ConfigError).message).toContain('DATABASE_URL scheme "mssql:" is not supported yet');
      expect((error as ConfigError).message).toContain('PORT must be an integer from 0 to 65535, got "80a"');
    }
  });

  it('[config] a relative DATABASE_URL path is refused', () => {
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:till.sqlite' })).toThrow(/absolute file path/);
  });
});
