import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.ts';
import { cardPayments } from './002-card-payments.ts';
import { managerConsole } from './003-manager-console.ts';
import { captureQueue } from './004-capture-queue.ts';

/**
 * Every ledger migration, in order. A static list (not a folder scan) so it works the same
 * under tsx, Vitest and a bundle. Names sort in run order; append, never rename.
 */
const MIGRATIONS: Record<string, Migration> = {
  '001_initial': initial,
  '002_card_payments': cardPayments,
  '003_manager_console': managerConsole,
  '004_capture_queue': captureQueue,
};

export const ledgerMigrations: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
