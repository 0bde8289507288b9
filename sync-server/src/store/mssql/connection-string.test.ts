import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig } from '../../config.ts';
import { parseAdoConnectionString, parseMssqlUrl, splitAdoPairs } from './connection-string.ts';
import { mssqlTestConfig } from './test-config.ts';

const PASSWORD = 'S3cr3t;Qx"zz';
const PORTAL_STRING =
  'Server=tcp:till-prod.database.windows.net,1433;Initial Catalog=till;Persist Security Info=False;' +
  `User ID=till_app;Password="${PASSWORD.replaceAll('"', '""')}";MultipleActiveResultSets=False;Encrypt=True;` +
  'TrustServerCertificate=False;Connection Timeout=30;';

/** Every problem message of a config that fails, joined. */
function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Azure SQL connection settings', () => {
  it('[AZ-SQL] the portal ADO.NET string with a SQL login: host, port, database, encrypt, timeout', () => {
    const config = loadConfig({ AZURE_SQL_CONNECTION_STRING: PORTAL_STRING }).database;
    expect(config).toMatchObject({
      kind: 'mssql',
      server: 'till-prod.database.windows.net',
      port: 1433,
      database: 'till',
      auth: { kind: 'password', user: 'till_app' },
      encrypt: true,
      trustServerCertificate: false,
      connectTimeoutMs: 30_000,
      requestTimeoutMs: 15_000,
      poolMax: 10,
    });
    expect(config.kind === 'mssql' && config.auth.kind === 'password' && config.auth.password.reveal()).toBe(PASSWORD);
  });

  it('[AZ-SQL] the password never shows: not in JSON (logs), inspect, a description, or any error message', () => {
    const config = loadConfig({ AZURE_SQL_CONNECTION_STRING: PORTAL_STRING });
    expect(JSON.stringify(config)).not.toContain('S3cr3t');
    expect(inspect(config, { depth: 10 })).not.toContain('S3cr3t');
    expect(describeDatabase(config.database)).toBe(
      'Azure SQL till-prod.database.windows.net:1433/till (SQL login till_app)',
    );

    const failing: Array<Record<string, string>> = [
      { AZURE_SQL_CONNECTION_STRING: `${PORTAL_STRING}Encrypt=False;` },
      { AZURE_SQL_CONNECTION_STRING: 'Server=x;Database=d;User ID=u;Password=S3cr3t;Qx"zz;Encrypt=False' },
      { AZURE_SQL_CONNECTION_STRING: 'Server=x;Database=d;User ID=u;Password="S3cr3t;Qx' },
      {
        AZURE_SQL_CONNECTION_STRING:
          'Server=x;Database=d;Password=S3cr3t;Qx=zz;Authentication=Active Directory Default',
      },
      { DATABASE_URL: 'mssql://u:S3cr3t%3BQx@host/db?encrypt=false&nonsense=1' },
      { DATABASE_URL: 'postgres://u:S3cr3t@host/db' },
      { DATABASE_URL: 'mssql://u:S3cr3t@host/db', AZURE_SQL_CONNECTION_STRING: PORTAL_STRING },
    ];
    for (const env of failing) {
      const message = problemsOf(env);
      expect(message).not.toContain('S3cr3t');
      expect(message).not.toContain('Qx');
    }
  });

  it('[AZ-SQL] Entra ID: Active Directory Default or Managed Identity, User ID as the identity client id', () => {
    const base = 'Server=tcp:x.database.windows.net,1433;Database=till;Encrypt=Strict;';
    expect(parseAdoConnectionString(`${base}Authentication=Active Directory Default`, [])).toMatchObject({
      auth: { kind: 'entra-default', clientId: undefined },
      encrypt: 'strict',
    });
    expect(
      parseAdoConnectionString(`${base}Authentication="Active Directory Managed Identity";User ID=0000-client`, []),
    ).toMatchObject({ auth: { kind: 'entra-managed-identity', clientId: '0000-client' } });
    expect(parseAdoConnectionString(`${base}Authentication=ActiveDirectoryMSI`, [])?.auth.kind).toBe(
      'entra-managed-identity',
    );
    expect(
      parseMssqlUrl(
        'mssql://x.database.windows.net/till?authentication=ActiveDirectoryManagedIdentity&clientId=abc',
        [],
      ),
    ).toMatchObject({
      server: 'x.database.windows.net',
      port: 1433,
      auth: { kind: 'entra-managed-identity', clientId: 'abc' },
    });
  });

  it('[AZ-SQL] mssql:// URL with a SQL login, percent-decoded; DATABASE_POOL_MAX sets the pool', () => {
    const config = loadConfig({
      DATABASE_URL: 'mssql://till%40app:p%3Bw@db.example.net:14333/ledger?requestTimeout=20',
      DATABASE_POOL_MAX: '25',
    }).database;
    expect(config).toMatchObject({
      kind: 'mssql',
      server: 'db.example.net',
      port: 14333,
      database: 'ledger',
      auth: { kind: 'password', user: 'till@app' },
      requestTimeoutMs: 20_000,
      poolMax: 25,
    });
    expect(config.kind === 'mssql' && config.auth.kind === 'password' && config.auth.password.reveal()).toBe('p;w');
  });

  it('[AZ-SQL] clear messages for what cannot work', () => {
    const messages = problemsOf({
      AZURE_SQL_CONNECTION_STRING:
        'Server=np:\\\\pipe;Encrypt=Optional;Authentication=Active Directory Interactive;Colour=blue;Connect Timeout=0',
      DATABASE_POOL_MAX: '0',
    });
    expect(messages).toContain('Server must be a TCP address');
    expect(messages).toContain('names no database');
    expect(messages).toContain('Encrypt=Optional is refused');
    expect(messages).toContain('Authentication "Active Directory Interactive" is not supported');
    expect(messages).toContain('unknown keyword "Colour"');
    expect(messages).toContain('Connect Timeout must be whole seconds');
    expect(problemsOf({ AZURE_SQL_CONNECTION_STRING: 'Server=x;Database=d' })).toContain('needs User ID and Password');
    expect(problemsOf({ DATABASE_URL: 'mssql://u:p@x/d', AZURE_SQL_CONNECTION_STRING: 'Server=x' })).toContain(
      'not both',
    );
    expect(problemsOf({ DATABASE_URL: 'mssql://u:p@x/d', DATABASE_POOL_MAX: '500' })).toContain(
      'DATABASE_POOL_MAX must be an integer from 1 to 200',
    );
  });

  it('[AZ-SQL] ADO.NET splitting: quotes, doubled quotes, == in keys, stray semicolons', () => {
    expect(splitAdoPairs(` ;Data Source = a,1 ;; Password='x;''y' ; Key==Name=v;`)).toEqual([
      ['Data Source', 'a,1'],
      ['Password', "x;'y"],
      ['Key=Name', 'v'],
    ]);
    expect(splitAdoPairs('')).toBe('is empty');
    expect(splitAdoPairs('Password="open')).toMatch(/closing quote/);
  });

  it('[AZ-SQL] the contract-suite hook: skipped with a reason when TILL_TEST_AZURE_SQL is unset, loud when it is wrong', () => {
    expect(mssqlTestConfig({})).toEqual({ skip: expect.stringContaining('TILL_TEST_AZURE_SQL is not set') });
    expect(() => mssqlTestConfig({ TILL_TEST_AZURE_SQL: 'Server=x;Encrypt=False' })).toThrow(/set but unusable/);
    expect(() => mssqlTestConfig({ TILL_TEST_AZURE_SQL: 'mssql://u:p@x/production' })).toThrow(/must contain "test"/);
    expect(
      mssqlTestConfig({ TILL_TEST_AZURE_SQL: 'mssql://u:p@localhost/till_test?trustServerCertificate=true' }),
    ).toMatchObject({
      kind: 'mssql',
      database: 'till_test',
      trustServerCertificate: true,
    });
  });
});
