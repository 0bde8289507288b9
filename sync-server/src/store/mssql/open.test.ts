import type { AccessToken, TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { bigintAsNumber, NumericBigIntRequest } from './bigint-request.ts';
import type { MssqlDatabaseConfig } from './connection-string.ts';
import { parseAdoConnectionString } from './connection-string.ts';
import {
  AZURE_SQL_TOKEN_SCOPE,
  connectionFactory,
  credentialFor,
  openMssqlLedgerDatabase,
  tediousConnectionConfig,
} from './open.ts';

function config(text: string): MssqlDatabaseConfig {
  const problems: string[] = [];
  const parsed = parseAdoConnectionString(text, problems);
  if (parsed === undefined) throw new Error(problems.join('; '));
  return parsed;
}

const SQL_LOGIN = config(
  'Server=tcp:x.database.windows.net,1433;Database=till;User ID=app;Password=pw;Max Pool Size=4',
);
const MANAGED = config(
  'Server=tcp:x.database.windows.net;Database=till;Authentication=Active Directory Managed Identity;User ID=client-1',
);

/** A credential that hands out token-1, token-2, … and counts the calls. */
function countingCredential(): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope): Promise<AccessToken> {
      scopes.push(String(scope));
      return { token: `token-${scopes.length}`, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

describe('Azure SQL connections', () => {
  it('[AZ-SQL] a SQL login: tedious default auth, TLS on, XACT_ABORT on, timeouts from the config', () => {
    const settings = tediousConnectionConfig(SQL_LOGIN, undefined);
    expect(settings).toMatchObject({
      server: 'x.database.windows.net',
      authentication: { type: 'default', options: { userName: 'app', password: 'pw' } },
      options: {
        database: 'till',
        port: 1433,
        encrypt: true,
        trustServerCertificate: false,
        connectTimeout: 30_000,
        requestTimeout: 15_000,
        abortTransactionOnError: true,
      },
    });
  });

  it('[AZ-SQL] Entra ID: every new connection asks the credential for a token (renewed tokens are picked up)', async () => {
    const credential = countingCredential();
    const made: unknown[] = [];
    const factory = connectionFactory(MANAGED, credential, (settings) => {
      made.push(settings.authentication);
      return settings;
    });
    await factory();
    await factory();
    expect(credential.scopes).toEqual([AZURE_SQL_TOKEN_SCOPE, AZURE_SQL_TOKEN_SCOPE]);
    expect(made).toEqual([
      { type: 'azure-active-directory-access-token', options: { token: 'token-1' } },
      { type: 'azure-active-directory-access-token', options: { token: 'token-2' } },
    ]);
    const empty: TokenCredential = { getToken: async () => null };
    await expect(connectionFactory(MANAGED, empty, (settings) => settings)()).rejects.toThrow(
      /no Entra ID access token/,
    );
  });

  it('[AZ-SQL] the credential follows Authentication: managed identity (with its client id) or the default chain', async () => {
    expect(await credentialFor(SQL_LOGIN)).toBeUndefined();
    expect(await credentialFor(MANAGED)).toBeInstanceOf(ManagedIdentityCredential);
    expect(
      await credentialFor(config('Server=x;Database=till;Authentication=Active Directory Default')),
    ).toBeInstanceOf(DefaultAzureCredential);
  });

  it('[AZ-SQL] opening builds the pool without connecting (tarn connects lazily), and closes cleanly', async () => {
    const credential = countingCredential();
    const db = await openMssqlLedgerDatabase(MANAGED, { credential });
    expect(credential.scopes).toEqual([]);
    await db.destroy();
  });

  it('[AZ-SQL] bigint columns arrive as numbers (as from SQLite); a value beyond 2^53 is refused, not rounded', () => {
    const column = (name: string, value: unknown) => ({ value, metadata: { colName: 'c', type: { name } } });
    expect(bigintAsNumber(column('BigInt', '1234567'))).toBe(1_234_567);
    expect(bigintAsNumber(column('IntN', '-42'))).toBe(-42);
    expect(bigintAsNumber(column('IntN', null))).toBe(null);
    expect(bigintAsNumber(column('NVarChar', '0042'))).toBe('0042');
    expect(() => bigintAsNumber(column('BigInt', '9007199254740993'))).toThrow(/does not fit/);

    const request = new NumericBigIntRequest('select 1', () => {});
    const rows: unknown[] = [];
    request.on('row', (columns: Array<{ value: unknown }>) => rows.push(columns.map((c) => c.value)));
    request.emit('row', [column('BigInt', '500'), column('NVarChar', 'EUR')]);
    expect(rows).toEqual([[500, 'EUR']]);
  });
});
