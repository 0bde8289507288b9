import { storeDayOf } from '@till/shared/core';

/** The calendar day before `day` (YYYY-MM-DD). */
export function previousDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date - 1)).toISOString().slice(0, 10);
}

/** Today in the store's time zone. */
export function storeToday(timezone: string, now = new Date()): string {
  return storeDayOf(now, timezone);
}

/** "09:00" for an hour of the day. */
export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** "14:00" for an instant, in store time. */
export function storeClock(iso: string, locale: string, timezone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
