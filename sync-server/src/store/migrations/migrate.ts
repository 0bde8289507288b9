import { type Kysely, Migrator } from 'kysely';
import type { LedgerTables } from '../tables.ts';
import { ledgerMigrations } from './index.ts';

/**
 * Brings the schema to the latest migration; throws with the failing migration's name. The same
 * migrations on every dialect (Kysely's Migrator records them in `kysely_migration`). It takes
 * a lock first — SQLite's write lock; on SQL Server an `sp_getapplock` session lock — so
 * several instances starting at once run each migration exactly once.
 */
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
