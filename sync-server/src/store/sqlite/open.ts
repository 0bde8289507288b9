import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
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
