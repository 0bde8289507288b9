import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

/**
 * SQLite-specific, and the only place transactions differ from other dialects.
 *
 * Kysely's SQLite driver begins transactions with a plain (deferred) `BEGIN`: the write lock is
 * taken at the first write, so two processes that both read, then write, can each hold a read
 * snapshot and one fails with SQLITE_BUSY mid-transaction — after deciding what to write from a
 * stale read. `BEGIN IMMEDIATE` takes the write lock up front, so a second process waits
 * (busy_timeout) before reading anything and then sees the first one's commit. Every ledger
 * transaction reads-then-writes (push, enrollment, migrations), so all of them begin immediate.
 *
 * Within one process Kysely's SQLite driver already serialises use of its single connection
 * with a mutex: a transaction holds it until commit, so concurrent requests queue behind it.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
