import { type Kysely, Migrator } from 'kysely';
import { ledgerDialectOf } from '../kysely/ledger-dialect.ts';
import { withMigrationLock } from '../mssql/migration-lock.ts';
import type { LedgerTables } from '../tables.ts';
import { ledgerMigrations } from './index.ts';

/**
 * Brings the schema to the latest migration; throws with the failing migration's name. The same
 * migrations on every dialect (Kysely's Migrator records them in `kysely_migration`). It runs
 * under a lock — SQLite's write lock; on Azure SQL Till's own `sp_getapplock` session lock, whose
 * result is checked (`../mssql/migration-lock.ts`; Kysely's own lock there is not) — so several
 * instances starting at once run each migration exactly once.
 */
export async function migrateLedger(db: Kysely<LedgerTables>): Promise<string[]> {
  if (ledgerDialectOf(db).name === 'mssql') return withMigrationLock(db, runMigrations);
  return runMigrations(db);
}

async function runMigrations(db: Kysely<LedgerTables>): Promise<string[]> {
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
