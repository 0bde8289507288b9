import { ERROR_CODES, storeDayRange } from '@till/shared';
import { ApiProblem } from '../../../http-errors.ts';
import { decodeCursor, type PageFilter } from '../../../store/console/operations-store.ts';
import type { InstantRange } from '../../../store/console/types.ts';

/** Rows per page when the console does not say. */
export const DEFAULT_PAGE_SIZE = 100;

/** `limit` and the decoded `before` cursor; a cursor we did not make → 400. */
export function pageFilterOf(query: { limit?: number | undefined; before?: string | undefined }): PageFilter {
  const before = query.before === undefined ? undefined : decodeCursor(query.before);
  if (query.before !== undefined && before === undefined) {
    throw new ApiProblem(400, ERROR_CODES.invalidRequest, 'Invalid request: before is not a page cursor', [
      { path: '/querystring/before', message: 'pass nextBefore of the previous page' },
    ]);
  }
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, before };
}

/**
 * `from` … `to` store-time days (inclusive) as the instants they span in the store's time zone;
 * either end may be open. A `from` after `to` → 400.
 */
export function dayRangeOf(
  query: { from?: string | undefined; to?: string | undefined },
  timezone: string,
): Partial<InstantRange> {
  const { from, to } = query;
  if (from !== undefined && to !== undefined && from > to) {
    throw new ApiProblem(400, ERROR_CODES.invalidRequest, 'Invalid request: from is after to', [
      { path: '/querystring/from', message: `is after to (${to})` },
    ]);
  }
  return {
    ...(from !== undefined && { from: storeDayRange(from, from, timezone).from }),
    ...(to !== undefined && { to: storeDayRange(to, to, timezone).to }),
  };
}
