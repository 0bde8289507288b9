import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { ledgerMigrations } from '../migrations/index.ts';
import type { LedgerTables } from '../tables.ts';
import { ImmediateSqliteDialect } from './immediate-dialect.ts';

/**
 * Opens the SQLite ledger file (creating its folder) with the settings the ledger's guarantees
 * rest on: WAL so readers never block the writer, synchronous=FULL so a committed push survives
 * a power cut (I2, I6: the till marks sales sent only after our commit), foreign keys enforced,
 * and a busy timeout so a second process waits for the write lock instead of failing.
 */
export function openSqliteLedger(file: string): Kysely<LedgerTables> {
  mkdirSync(dirname(file), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new Kysely<LedgerTables>({ dialect: new ImmediateSqliteDialect({ database }) });
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateLedger(db: Kysely<LedgerTables>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: ledgerMigrations });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Ledger migration failed${name}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
