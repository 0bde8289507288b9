import { storeDayOf } from '@till/shared/core';

/** Today's date (YYYY-MM-DD) in the store's time zone: what the server means by "today". */
export function storeToday(timezone: string, now: Date = new Date()): string {
  return storeDayOf(now, timezone);
}

/** `day` moved by `days` calendar days (negative goes back). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** An inclusive range of store-time days, as the console's list routes take it. */
export interface DayRange {
  from: string;
  to: string;
}

/** The last `days` days up to today in the store's time zone. */
export function lastDays(timezone: string, days: number): DayRange {
  const to = storeToday(timezone);
  return { from: addDays(to, -(days - 1)), to };
}
