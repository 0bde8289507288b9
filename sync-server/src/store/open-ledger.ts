import type { Kysely } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import type { ConsoleStore } from './console-store.ts';
import { kyselyLedgerStore } from './kysely/kysely-ledger-store.ts';
import { type LedgerDialect, portableLedgerDialect, useLedgerDialect } from './kysely/ledger-dialect.ts';
import type { LedgerAdmin, LedgerStore } from './ledger-store.ts';
import { migrateLedger } from './migrations/migrate.ts';
import { mssqlLedgerDialect } from './mssql/ledger-dialect.ts';
import { type OpenMssqlOptions, openMssqlLedgerDatabase } from './mssql/open.ts';
import { type RetryEnvironment, type RetryPolicy, realRetryEnvironment, retryTransaction } from './mssql/transient.ts';
import type { PaymentAdmin, PaymentStore } from './payment-store.ts';
import { openSqliteLedger } from './sqlite/open.ts';
import type { LedgerTables } from './tables.ts';

/** The ledger with its admin operations, as the app, the demo and the admin CLI use it. */
export type Ledger = LedgerStore & LedgerAdmin & PaymentStore & PaymentAdmin & ConsoleStore;

export interface OpenLedgerOptions {
  /** Azure SQL only: credential override, retry policy and a hook told of each retry (for logs). */
  mssql?: OpenMssqlOptions & { retryPolicy?: RetryPolicy; retryEnvironment?: RetryEnvironment };
}

/**
 * Opens the configured database and brings its schema to the latest migration. The dialect
 * object (transactions, row locks; see `kysely/ledger-dialect.ts`) is chosen here, once.
 */
export async function openLedger(database: DatabaseConfig, options: OpenLedgerOptions = {}): Promise<Ledger> {
  const { db, dialect, migrate } = await openDatabase(database, options);
  useLedgerDialect(db, dialect);
  try {
    await migrate();
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return kyselyLedgerStore(db);
}

async function openDatabase(
  database: DatabaseConfig,
  options: OpenLedgerOptions,
): Promise<{ db: Kysely<LedgerTables>; dialect: LedgerDialect; migrate: () => Promise<unknown> }> {
  if (database.kind === 'sqlite') {
    const db = openSqliteLedger(database.file);
    return { db, dialect: portableLedgerDialect, migrate: () => migrateLedger(db) };
  }
  const { retryPolicy, retryEnvironment = realRetryEnvironment, ...mssqlOptions } = options.mssql ?? {};
  const db = await openMssqlLedgerDatabase(database, mssqlOptions);
  return {
    db,
    dialect: mssqlLedgerDialect(retryPolicy, retryEnvironment),
    // Migrating (under our app lock, mssql/migration-lock.ts, and Kysely's own) is re-run whole
    // after a transient fault like any other transaction: it re-reads which migrations ran first.
    migrate: () => retryTransaction(() => migrateLedger(db), retryPolicy, retryEnvironment),
  };
}
