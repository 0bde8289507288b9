import { sql } from 'kysely';
import { type Ledger, openLedger } from '../open-ledger.ts';
import { type MssqlDatabaseConfig, parseAdoConnectionString, parseMssqlUrl } from './connection-string.ts';
import { openMssqlLedgerDatabase } from './open.ts';

/** The variable that points the contract suites at a real Azure SQL (or SQL Server) database. */
export const AZURE_SQL_TEST_VARIABLE = 'TILL_TEST_AZURE_SQL';

/**
 * The Azure SQL leg of the contract suites: the database named by `TILL_TEST_AZURE_SQL` (an
 * ADO.NET connection string or an `mssql://` URL), or why that leg is skipped. A value that is
 * set but unusable throws — a typo must not turn into a quietly skipped leg.
 *
 * The database must be one kept for tests: `openEmptyMssqlLedger` drops every table in it. Its
 * name must contain "test".
 */
export function mssqlTestConfig(
  env: Record<string, string | undefined> = process.env,
): MssqlDatabaseConfig | { skip: string } {
  const text = env[AZURE_SQL_TEST_VARIABLE]?.trim();
  if (text === undefined || text === '') {
    return {
      skip: `${AZURE_SQL_TEST_VARIABLE} is not set (an ADO.NET connection string or mssql:// URL of a test database)`,
    };
  }
  const problems: string[] = [];
  const config = /^mssql:/i.test(text)
    ? parseMssqlUrl(text, problems, AZURE_SQL_TEST_VARIABLE)
    : parseAdoConnectionString(text, problems, AZURE_SQL_TEST_VARIABLE);
  if (config === undefined)
    throw new Error(`${AZURE_SQL_TEST_VARIABLE} is set but unusable:\n  - ${problems.join('\n  - ')}`);
  if (!/test/i.test(config.database)) {
    throw new Error(
      `${AZURE_SQL_TEST_VARIABLE} names database "${config.database}": the contract suites empty it, so its name must contain "test"`,
    );
  }
  return config;
}

/**
 * A fresh, migrated, EMPTY ledger on the test database: every table in it is dropped (foreign
 * keys first), then `openLedger` runs the migrations as a new deployment would.
 */
export async function openEmptyMssqlLedger(
  config: MssqlDatabaseConfig,
): Promise<{ ledger: Ledger; cleanup(): Promise<void> }> {
  if (!/test/i.test(config.database)) throw new Error('openEmptyMssqlLedger only empties a database named *test*');
  const db = await openMssqlLedgerDatabase(config);
  try {
    await sql
      .raw(`declare @drop nvarchar(max) = N'';
select @drop += N'alter table ' + quotename(schema_name(t.schema_id)) + N'.' + quotename(t.name)
  + N' drop constraint ' + quotename(f.name) + N';'
  from sys.foreign_keys f join sys.tables t on t.object_id = f.parent_object_id;
exec sp_executesql @drop;
set @drop = N'';
select @drop += N'drop table ' + quotename(schema_name(schema_id)) + N'.' + quotename(name) + N';' from sys.tables;
exec sp_executesql @drop;`)
      .execute(db);
  } finally {
    await db.destroy();
  }
  const ledger = await openLedger(config);
  return { ledger, cleanup: () => ledger.close() };
}
