import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  MssqlAdapter,
  MssqlIntrospector,
  MssqlQueryCompiler,
  type QueryResult,
} from 'kysely';
import { useLedgerDialect } from '../kysely/ledger-dialect.ts';
import type { LedgerTables } from '../tables.ts';
import { mssqlLedgerDialect } from './ledger-dialect.ts';
import { MssqlPortabilityPlugin } from './plugins.ts';
import type { RetryEnvironment, RetryPolicy } from './transient.ts';

/**
 * For tests without a server: a Kysely with the real MSSQL adapter, compiler and our plugins,
 * whose driver records every statement (and BEGIN/COMMIT/ROLLBACK, and which connection ran it)
 * and answers from `answer`. The shared ledger code runs on it unchanged, so tests see the exact
 * T-SQL and parameters Azure SQL would receive.
 */
export interface RecordedStatement {
  /** `begin`, `commit`, `rollback`, or the T-SQL text. */
  sql: string;
  parameters: readonly unknown[];
  /** Which pooled connection ran it (1, 2, …: a new one per acquire). */
  connection: number;
}

export type Answer = (query: CompiledQuery, statementNo: number) => Array<Record<string, unknown>> | Error;

export function recordingMssqlLedger(
  answer: Answer = () => [],
  retry?: { policy?: RetryPolicy; environment?: RetryEnvironment },
): { db: Kysely<LedgerTables>; statements: RecordedStatement[]; failRollback(error: Error | undefined): void } {
  const statements: RecordedStatement[] = [];
  let connections = 0;
  let rollbackError: Error | undefined;
  const connectionOf = new WeakMap<DatabaseConnection, number>();
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      connections += 1;
      const id = connections;
      const connection: DatabaseConnection = {
        async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
          statements.push({ sql: query.sql, parameters: query.parameters, connection: id });
          const result = answer(query, statements.length);
          if (result instanceof Error) throw result;
          return { rows: result as R[] };
        },
        // biome-ignore lint/correctness/useYield: the ledger never streams
        async *streamQuery() {
          throw new Error('not used');
        },
      };
      connectionOf.set(connection, id);
      return connection;
    },
    async beginTransaction(connection) {
      statements.push({ sql: 'begin', parameters: [], connection: connectionOf.get(connection) ?? 0 });
    },
    async commitTransaction(connection) {
      statements.push({ sql: 'commit', parameters: [], connection: connectionOf.get(connection) ?? 0 });
    },
    async rollbackTransaction(connection) {
      statements.push({ sql: 'rollback', parameters: [], connection: connectionOf.get(connection) ?? 0 });
      if (rollbackError !== undefined) throw rollbackError;
    },
    async releaseConnection() {},
    async destroy() {},
  };
  const db = new Kysely<LedgerTables>({
    dialect: {
      createAdapter: () => new MssqlAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new MssqlIntrospector(kysely),
      createQueryCompiler: () => new MssqlQueryCompiler(),
    },
    plugins: [new MssqlPortabilityPlugin()],
  });
  useLedgerDialect(db, mssqlLedgerDialect(retry?.policy, retry?.environment));
  return {
    db,
    statements,
    failRollback(error) {
      rollbackError = error;
    },
  };
}
