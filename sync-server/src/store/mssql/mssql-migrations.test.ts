import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerMigrations } from '../migrations/index.ts';
import { mssqlDataType } from './plugins.ts';
import { recordingMssqlLedger } from './recording-kysely.ts';

/**
 * Every ledger migration, as the T-SQL Azure SQL would run: the same migration files as SQLite
 * (unchanged), compiled by Kysely's MSSQL compiler with the portability plugin.
 */

/** SQL Server index key limits: a clustered index (our primary keys), any other index. */
const CLUSTERED_KEY_BYTES = 900;
const NONCLUSTERED_KEY_BYTES = 1700;

let ddl: string[] = [];

beforeAll(async () => {
  const { db, statements } = recordingMssqlLedger();
  for (const migration of Object.values(await ledgerMigrations.getMigrations())) {
    await migration.up(db as unknown as Kysely<unknown>);
  }
  ddl = statements.map((statement) => statement.sql);
});

/** Byte width of a SQL Server column type as an index key column (nvarchar: 2 bytes a character). */
function keyBytes(type: string): number {
  const nvarchar = /^nvarchar\((\d+|max)\)$/.exec(type);
  if (nvarchar) return nvarchar[1] === 'max' ? Number.POSITIVE_INFINITY : 2 * Number(nvarchar[1]);
  if (type === 'integer' || type === 'int') return 4;
  if (type === 'bigint') return 8;
  throw new Error(`unknown key type ${type}`);
}

/** Column types per table, from CREATE TABLE and ALTER TABLE … ADD. */
function columnTypes(statements: string[]): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  for (const statement of statements) {
    const target = /^(?:create table|alter table) "(\w+)"/.exec(statement)?.[1];
    if (target === undefined) continue;
    const columns = tables.get(target) ?? new Map<string, string>();
    for (const [, name = '', type = ''] of statement.matchAll(/"(\w+)" (nvarchar\((?:\d+|max)\)|integer|bigint)/g)) {
      columns.set(name, type);
    }
    tables.set(target, columns);
  }
  return tables;
}

interface IndexKey {
  table: string;
  name: string;
  columns: string[];
  clustered: boolean;
}

/** Primary keys, unique constraints and indexes, inline or named. */
function indexKeys(statements: string[]): IndexKey[] {
  const keys: IndexKey[] = [];
  const list = (text: string) => [...text.matchAll(/"(\w+)"/g)].map((match) => match[1] ?? '');
  for (const statement of statements) {
    const index = /^create (?:unique )?index "(\w+)" on "(\w+)" \(([^)]*)\)/.exec(statement);
    if (index)
      keys.push({ name: index[1] ?? '', table: index[2] ?? '', columns: list(index[3] ?? ''), clustered: false });
    const table = /^create table "(\w+)"/.exec(statement)?.[1];
    if (table === undefined) continue;
    for (const [, column = '', kind = ''] of statement.matchAll(
      /"(\w+)" [a-z]+(?:\([^)]*\))?[^,]*? (primary key|unique)/g,
    )) {
      keys.push({ name: `${table}.${column} ${kind}`, table, columns: [column], clustered: kind === 'primary key' });
    }
    for (const [, name = '', kind = '', columns = ''] of statement.matchAll(
      /constraint "(\w+)" (primary key|unique) \(([^)]*)\)/g,
    )) {
      keys.push({ name, table, columns: list(columns), clustered: kind === 'primary key' });
    }
  }
  return keys;
}

describe('Azure SQL migrations (compiled, no server)', () => {
  it('[AZ-SQL] the migrations compile to T-SQL types: nvarchar(n), nvarchar(max) for text, no LIMIT, no ADD COLUMN', () => {
    expect(ddl.length).toBeGreaterThan(40);
    const all = ddl.join('\n');
    expect(all).not.toMatch(/"\w+" text\b/);
    expect(all).not.toMatch(/(?<!n)varchar\(/);
    expect(all).not.toMatch(/\badd column\b/);
    expect(all).not.toMatch(/\blimit\b/);
    expect(all).toMatch(/"payload" nvarchar\(max\) collate Latin1_General_100_BIN2 not null/);
    expect(all).toMatch(/"id" nvarchar\(36\) collate Latin1_General_100_BIN2 primary key/);
    expect(all).toMatch(/alter table "stores" add "card_max_per_payment" bigint default 0 not null/);
    expect(all).toContain('create unique index "payments_id_unique" on "payments" ("id")');
  });

  it('[AZ-SQL] every primary key fits a clustered index (≤ 900 bytes) and every other index key ≤ 1700 bytes', () => {
    const types = columnTypes(ddl);
    const keys = indexKeys(ddl);
    // Every table has a primary key; the composite ones are (tenant_id, id) and the like.
    expect(keys.filter((key) => key.clustered).length).toBeGreaterThanOrEqual(types.size);
    const widths = keys.map((key) => {
      const bytes = key.columns.reduce((sum, column) => {
        const type = types.get(key.table)?.get(column);
        if (type === undefined) throw new Error(`${key.name}: no column ${key.table}.${column}`);
        return sum + keyBytes(type);
      }, 0);
      return { key: key.name, bytes, limit: key.clustered ? CLUSTERED_KEY_BYTES : NONCLUSTERED_KEY_BYTES };
    });
    expect(widths.filter((width) => width.bytes > width.limit)).toEqual([]);
    // The widest: login_attempts (email, at) = 2 × 254 + 2 × 40 bytes.
    expect(Math.max(...widths.map((width) => width.bytes))).toBe(588);
  });

  it('[AZ-SQL] type mapping: text → nvarchar(max), varchar(n) → nvarchar(n), both binary-collated; numbers unchanged', () => {
    expect(mssqlDataType('text')).toBe('nvarchar(max) collate Latin1_General_100_BIN2');
    expect(mssqlDataType('varchar(36)')).toBe('nvarchar(36) collate Latin1_General_100_BIN2');
    expect(mssqlDataType('bigint')).toBe('bigint');
    expect(mssqlDataType('integer')).toBe('integer');
  });
});
