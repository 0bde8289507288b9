import { ERROR_CODES, storeDayOf, storeDayRange } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import { ApiProblem } from '../../../http-errors.ts';
import type { ConsoleDay } from '../../../store/console/reconciliation-store.ts';
import type { ConsoleScope, InstantRange } from '../../../store/console/types.ts';

/** The longest range an export or the drawers page reads at once. */
export const MAX_RANGE_DAYS = 366;

/** True when `day` (YYYY-MM-DD) is a real calendar day (not 2026-02-31). */
function isCalendarDay(day: string): boolean {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date)).toISOString().slice(0, 10) === day;
}

function checkDay(day: string, field: string): void {
  if (!isCalendarDay(day)) {
    throw new ApiProblem(400, ERROR_CODES.invalidRequest, `${day} is not a calendar day`, [
      { path: `/querystring/${field}`, message: 'must be a real day, YYYY-MM-DD' },
    ]);
  }
}

/** The day a console page asks about: `date`, or today in the store's time zone. */
export function consoleDay(fastify: FastifyInstance, scope: ConsoleScope, date: string | undefined): ConsoleDay {
  const now = fastify.now();
  const day = date ?? storeDayOf(now, scope.store.timezone);
  checkDay(day, 'date');
  return {
    date: day,
    range: storeDayRange(day, day, scope.store.timezone),
    now: now.toISOString(),
    silentDeviceMinutes: fastify.consoleConfig.silentDeviceMinutes,
    expiryWarningMinutes: fastify.consoleConfig.expiryWarningMinutes,
  };
}

/** An inclusive range of store-time days and its instants; each end defaults to today. */
export interface DayRange {
  from: string;
  to: string;
  range: InstantRange;
}

export function dayRange(
  fastify: FastifyInstance,
  scope: ConsoleScope,
  query: { from?: string | undefined; to?: string | undefined },
): DayRange {
  const today = storeDayOf(fastify.now(), scope.store.timezone);
  const from = query.from ?? today;
  const to = query.to ?? today;
  checkDay(from, 'from');
  checkDay(to, 'to');
  if (from > to) {
    throw new ApiProblem(400, ERROR_CODES.invalidRequest, `from (${from}) is after to (${to})`, [
      { path: '/querystring/from', message: 'must not be after to' },
    ]);
  }
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new ApiProblem(400, ERROR_CODES.invalidRequest, `At most ${MAX_RANGE_DAYS} days at once; ask for less`, [
      { path: '/querystring/to', message: `must be within ${MAX_RANGE_DAYS} days of from` },
    ]);
  }
  return { from, to, range: storeDayRange(from, to, scope.store.timezone) };
}

/** Like `dayRange`, but an absent end leaves the range open on that side (the audit log). */
export function openDayRange(
  scope: ConsoleScope,
  query: { from?: string | undefined; to?: string | undefined },
): Partial<InstantRange> {
  if (query.from !== undefined) checkDay(query.from, 'from');
  if (query.to !== undefined) checkDay(query.to, 'to');
  const zone = scope.store.timezone;
  return {
    ...(query.from !== undefined && { from: storeDayRange(query.from, query.from, zone).from }),
    ...(query.to !== undefined && { to: storeDayRange(query.to, query.to, zone).to }),
  };
}
