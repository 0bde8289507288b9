import type { TokenCredential } from '@azure/identity';
import { Kysely, MssqlDialect } from 'kysely';
import type { ConnectionConfiguration } from 'tedious';
import type { LedgerTables } from '../tables.ts';
import type { MssqlDatabaseConfig } from './connection-string.ts';
import { MssqlPortabilityPlugin } from './plugins.ts';

/** The scope of an Entra ID access token for Azure SQL Database. */
export const AZURE_SQL_TOKEN_SCOPE = 'https://database.windows.net/.default';

/**
 * The tedious connection settings for one new connection. `accessToken` is a fresh Entra ID
 * token when the config says Entra ID (see `connectionFactory`), unused with a SQL password.
 */
export function tediousConnectionConfig(
  config: MssqlDatabaseConfig,
  accessToken: string | undefined,
): ConnectionConfiguration {
  const authentication: ConnectionConfiguration['authentication'] =
    config.auth.kind === 'password'
      ? { type: 'default', options: { userName: config.auth.user, password: config.auth.password.reveal() } }
      : { type: 'azure-active-directory-access-token', options: { token: requireToken(accessToken) } };
  return {
    server: config.server,
    authentication,
    options: {
      database: config.database,
      port: config.port,
      encrypt: config.encrypt,
      trustServerCertificate: config.trustServerCertificate,
      connectTimeout: config.connectTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      appName: 'till-sync-server',
      // SET XACT_ABORT ON: any error — a statement cancelled on timeout included — rolls the
      // whole transaction back on the server, so nothing half-done stays open holding locks.
      abortTransactionOnError: true,
      // Login-time transient errors (40613, 4060, …) are retried by tedious itself; a little
      // longer than its default (3 × 500 ms) so a failover in progress can finish.
      maxRetriesOnTransientErrors: 4,
      connectionRetryInterval: 1000,
    },
  };
}

function requireToken(token: string | undefined): string {
  if (token === undefined || token === '') throw new Error('Azure SQL: no Entra ID access token for a new connection');
  return token;
}

/** The Entra ID credential the config asks for, or undefined for SQL authentication. */
export async function credentialFor(config: MssqlDatabaseConfig): Promise<TokenCredential | undefined> {
  if (config.auth.kind === 'password') return undefined;
  const identity = await import('@azure/identity');
  const { clientId } = config.auth;
  if (config.auth.kind === 'entra-managed-identity') {
    return clientId === undefined
      ? new identity.ManagedIdentityCredential()
      : new identity.ManagedIdentityCredential({ clientId });
  }
  return new identity.DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
}

/**
 * Makes each new pooled connection. tarn creates connections lazily (at first use, after one
 * is dropped, when the pool grows), possibly hours after start, so the token is fetched here,
 * per connection, not once at startup: @azure/identity caches it and renews it before it
 * expires, so this is a cache hit except when a renewal is due. A token only matters at login;
 * an open connection stays authenticated after its token expires.
 */
export function connectionFactory<C>(
  config: MssqlDatabaseConfig,
  credential: TokenCredential | undefined,
  newConnection: (settings: ConnectionConfiguration) => C,
): () => Promise<C> {
  return async () => {
    if (credential === undefined) return newConnection(tediousConnectionConfig(config, undefined));
    const token = await credential.getToken(AZURE_SQL_TOKEN_SCOPE);
    return newConnection(tediousConnectionConfig(config, token?.token));
  };
}

export interface OpenMssqlOptions {
  /** Overrides the credential made from the config (tests). */
  credential?: TokenCredential;
}

/**
 * The Azure SQL ledger database: Kysely's MSSQL dialect over a tarn pool of tedious
 * connections, with the portability plugin. Nothing connects until the first query.
 * tedious, tarn and @azure/identity are loaded here, so a SQLite server never loads them.
 */
export async function openMssqlLedgerDatabase(
  config: MssqlDatabaseConfig,
  options: OpenMssqlOptions = {},
): Promise<Kysely<LedgerTables>> {
  const [tedious, tarn, { NumericBigIntRequest }] = await Promise.all([
    import('tedious'),
    import('tarn'),
    import('./bigint-request.ts'),
  ]);
  const credential = options.credential ?? (await credentialFor(config));
  const dialect = new MssqlDialect({
    tedious: {
      ...tedious,
      Request: NumericBigIntRequest,
      connectionFactory: connectionFactory(config, credential, (settings) => new tedious.Connection(settings)),
    },
    tarn: {
      ...tarn,
      options: {
        min: 0,
        max: config.poolMax,
        // A pool that cannot make a connection for this long fails the request (503/retry)
        // instead of queueing it forever.
        acquireTimeoutMillis: config.connectTimeoutMs + 5000,
        // Azure's gateway drops idle connections after 30 minutes; close ours well before.
        idleTimeoutMillis: 5 * 60_000,
      },
    },
  });
  return new Kysely<LedgerTables>({ dialect, plugins: [new MssqlPortabilityPlugin()] });
}
