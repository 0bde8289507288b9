import type { DatabaseConfig } from '../config.ts';
import type { ConsoleStore } from './console-store.ts';
import { kyselyLedgerStore } from './kysely/kysely-ledger-store.ts';
import type { LedgerAdmin, LedgerStore } from './ledger-store.ts';
import type { PaymentAdmin, PaymentStore } from './payment-store.ts';
import { migrateLedger, openSqliteLedger } from './sqlite/open.ts';

/** The ledger with its admin operations, as the app, the demo and the admin CLI use it. */
export type Ledger = LedgerStore & LedgerAdmin & PaymentStore & PaymentAdmin & ConsoleStore;

/** Opens the configured database and brings its schema to the latest migration. */
export async function openLedger(database: DatabaseConfig): Promise<Ledger> {
  const db = openSqliteLedger(database.file);
  try {
    await migrateLedger(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return kyselyLedgerStore(db);
}
