import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { LedgerDialect, LedgerTableExpression, RowLock } from '../kysely/ledger-dialect.ts';
import type { LedgerTables } from '../tables.ts';
import {
  DEFAULT_RETRY_POLICY,
  type RetryEnvironment,
  type RetryPolicy,
  realRetryEnvironment,
  retryTransaction,
} from './transient.ts';

/**
 * Table hints per lock (SQL Server's READ COMMITTED — on Azure SQL with row versioning, RCSI —
 * reads the last committed version and locks nothing; these make a read lock what it reads):
 * - `update`: UPDLOCK takes update locks and holds them to the end of the transaction, ROWLOCK
 *   keeps them on the rows (keys) read. A second transaction reading the same row with UPDLOCK
 *   waits until the first commits, then reads its result. Plain readers are never blocked.
 * - `claim`: the same, plus READPAST: rows locked by another claim are skipped, not waited for,
 *   so concurrent workers take disjoint sets of due payments and none of them queues behind
 *   another (the pattern of a queue table on SQL Server).
 */
const HINTS: Record<RowLock, string> = {
  update: 'updlock, rowlock',
  claim: 'readpast, updlock, rowlock',
};

/**
 * The Azure SQL side of the ledger: whole-transaction retry on transient faults, and table
 * hints. Not HOLDLOCK: on a key that does not exist yet it would lock the range around it, and
 * with time-ordered ids (UUIDv7) that range is the end of the index — every concurrent insert
 * of the tenant would queue there. A lost race to insert the same client id instead fails with
 * 2627/2601, and the whole transaction runs again and finds the row (see `transient.ts`).
 */
export function mssqlLedgerDialect(
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  environment: RetryEnvironment = realRetryEnvironment,
): LedgerDialect {
  return {
    name: 'mssql',
    transaction: (db, work) => retryTransaction(() => runOnce(db, work), policy, environment),
    lockedTable: (table, lock, alias) => lockedTable(table, lock, alias),
  };
}

/**
 * `"table" as "table" with (<hints>)`, or `"table" as "alias" with (<hints>)`: T-SQL puts the
 * hints after the alias.
 */
export function lockedTable<T extends keyof LedgerTables, A extends string = T>(
  table: T,
  lock: RowLock,
  alias?: A,
): LedgerTableExpression<T, A> {
  return sql<Selectable<LedgerTables[T]>>`${sql.table(table)}`.as<A>(
    sql`${sql.id(alias ?? table)} with (${sql.raw(HINTS[lock])})`,
  );
}

/**
 * One run of a transaction with explicit BEGIN/COMMIT/ROLLBACK (Kysely's controlled
 * transaction) rather than `db.transaction()`: after a deadlock or a dropped connection the
 * server has already rolled back, and the ROLLBACK that Kysely then sends fails too — its error
 * would replace the one that says what happened. Here a failed ROLLBACK is ignored (the
 * transaction is gone either way; the connection is released and, if dead, replaced by the
 * pool) and the original fault is what the retry loop classifies.
 */
export async function runOnce<T>(
  db: Kysely<LedgerTables>,
  work: (trx: Transaction<LedgerTables>) => Promise<T>,
): Promise<T> {
  const trx = await db.startTransaction().execute();
  try {
    const result = await work(trx);
    await trx.commit().execute();
    return result;
  } catch (error) {
    if (!trx.isCommitted && !trx.isRolledBack)
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
    throw error;
  }
}
