import { type AliasedRawBuilder, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { LedgerTables } from '../tables.ts';

/**
 * What differs between the databases the ledger runs on, behind one small object chosen when
 * the ledger is opened. The query code in this folder is shared; it asks this object only for
 * the two things SQL dialects cannot agree on:
 *
 * - how a transaction runs: SQLite takes its write lock up front (`BEGIN IMMEDIATE`, see
 *   `../sqlite/immediate-dialect.ts`) and never needs a retry; Azure SQL re-runs the whole
 *   transaction on a fresh connection after a transient fault (`../mssql/transient.ts`);
 * - how a read takes a row lock that lasts until commit: SQLite's write lock already covers
 *   every row, SQL Server needs a table hint (`WITH (UPDLOCK, ROWLOCK)`), which Kysely has no
 *   builder for, so the dialect hands out the FROM item with the hint in it.
 *
 * Everything else (`.limit()` → `TOP`, `text` → `nvarchar(max)`, bigint results) is translated
 * under the query code by the dialect's Kysely plugins (`../mssql/plugins.ts`).
 */
export interface LedgerDialect {
  readonly name: 'sqlite' | 'mssql';
  /** Runs `work` in one transaction and returns its result; see `runInTransaction`. */
  transaction<T>(db: Kysely<LedgerTables>, work: (trx: Transaction<LedgerTables>) => Promise<T>): Promise<T>;
  /**
   * `table` as a FROM item whose rows a SELECT locks until the transaction ends:
   * - `update`: read now, written later in this transaction; a second writer waits (SQL Server
   *   `UPDLOCK, ROWLOCK`: update locks on the rows read, held to commit).
   * - `claim`: rows another transaction holds are skipped, not waited for (SQL Server
   *   `READPAST, UPDLOCK, ROWLOCK`): concurrent workers each take different due payments.
   *
   * `alias` names the FROM item (default: the table's own name), for a join: on SQLite
   * `"capture_publications" as "c"`, on SQL Server the same with the hint after the alias.
   */
  lockedTable<T extends keyof LedgerTables, A extends string = T>(
    table: T,
    lock: RowLock,
    alias?: A,
  ): LedgerTableExpression<T, A>;
}

export type RowLock = 'update' | 'claim';

/** A FROM item that reads as `table` (or its alias) to the query builder, whatever hint it carries. */
export type LedgerTableExpression<T extends keyof LedgerTables, A extends string = T> = AliasedRawBuilder<
  Selectable<LedgerTables[T]>,
  A
>;

/**
 * The portable behaviour: Kysely's own transaction, and no hint (SQLite's `BEGIN IMMEDIATE`
 * already holds the database's only write lock for the whole transaction).
 */
export const portableLedgerDialect: LedgerDialect = {
  name: 'sqlite',
  transaction: (db, work) => db.transaction().execute(work),
  lockedTable: (table, _lock, alias) => plainTable(table, alias),
};

/**
 * `"table" as "table"`: the table under its own name, so column references read the same — or
 * `"table" as "alias"`.
 */
export function plainTable<T extends keyof LedgerTables, A extends string = T>(
  table: T,
  alias?: A,
): LedgerTableExpression<T, A> {
  return sql<Selectable<LedgerTables[T]>>`${sql.table(table)}`.as((alias ?? table) as A);
}

const dialects = new WeakMap<Kysely<LedgerTables>, LedgerDialect>();

/** Records which dialect a ledger database was opened with (done once, by `openLedger`). */
export function useLedgerDialect(db: Kysely<LedgerTables>, dialect: LedgerDialect): void {
  dialects.set(db, dialect);
}

/**
 * The dialect `db` was opened with — or, for a transaction of `runInTransaction`, the dialect of
 * the database it runs on. A Kysely built elsewhere (a test) gets the portable one.
 */
export function ledgerDialectOf(db: Kysely<LedgerTables>): LedgerDialect {
  return dialects.get(db) ?? portableLedgerDialect;
}

/**
 * THE way ledger code runs a transaction (instead of `db.transaction().execute(work)`).
 *
 * On SQLite it is exactly Kysely's transaction (begun IMMEDIATE). On Azure SQL a transient
 * fault (failover, throttling, deadlock victim, dropped connection) rolls the transaction back
 * and runs `work` again from the start on a fresh connection, with backoff. So `work` must:
 * - do all its reading and writing through `trx`, and derive everything it writes from what it
 *   reads there (never from state kept across runs);
 * - have no side effect outside the database (no gateway call, no message): it may run twice.
 *
 * A run whose COMMIT was sent but whose acknowledgement was lost may have committed; running it
 * again must then answer as if it had: every ledger write is keyed by a client-made id (sale,
 * payment, batch, shift event, attempt ids fixed before the transaction) and looks that id up
 * first, so the second run finds the first run's rows and answers "already there" (a replayed
 * push gets its stored response verbatim) instead of writing them twice.
 */
export function runInTransaction<T>(
  db: Kysely<LedgerTables>,
  work: (trx: Transaction<LedgerTables>) => Promise<T>,
): Promise<T> {
  const dialect = ledgerDialectOf(db);
  return dialect.transaction(db, (trx) => {
    dialects.set(trx, dialect);
    return work(trx);
  });
}
