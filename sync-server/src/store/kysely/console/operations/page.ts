import { type Expression, type SqlBool, sql } from 'kysely';
import { encodeCursor, type PageCursor } from '../../../console/operations-store.ts';

/**
 * Keyset pagination, newest first on (timestamp, id): a page is the rows strictly before the
 * cursor, so a row arriving meanwhile never shifts a page or shows twice. The id breaks ties
 * between rows of the same instant.
 */
export function olderThan(atColumn: string, idColumn: string, cursor: PageCursor): Expression<SqlBool> {
  const at = sql.ref(atColumn);
  const id = sql.ref(idColumn);
  return sql<SqlBool>`(${at} < ${cursor.at} or (${at} = ${cursor.at} and ${id} < ${cursor.id}))`;
}

/**
 * A page of `limit` rows from `rows` (fetched with limit + 1) and the cursor of the next page,
 * null when this was the last one.
 */
export function pageOf<Row, Out>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => PageCursor,
  map: (row: Row) => Out,
): { items: Out[]; nextBefore: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(map),
    nextBefore: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
