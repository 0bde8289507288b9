import { type CurrencyCode, formatMoney } from '@till/shared/core';

/** Formatting for the console, in the store's locale, currency and time zone. */
export interface StoreFormat {
  currency: CurrencyCode;
  locale: string;
  timezone: string;
}

export function money(amount: number, store: StoreFormat): string {
  return formatMoney(amount, store.currency, store.locale);
}

/** e.g. "14:05" (today) or "23 Nov, 14:05", in store time. */
export function dateTime(iso: string | null, store: StoreFormat): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  return new Intl.DateTimeFormat(store.locale, {
    timeZone: store.timezone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** "5 min ago", "3 h ago", "2 days ago". */
export function ago(iso: string | null, nowMs: number): string {
  if (iso === null) return 'never';
  const minutes = Math.round((nowMs - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** "in 5 min", "in 3 h", "in 2 days"; "now" once it has passed. For expiries. */
export function fromNow(iso: string, nowMs: number): string {
  const minutes = Math.round((Date.parse(iso) - nowMs) / 60_000);
  if (minutes < 1) return 'now';
  if (minutes < 90) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

/** "23 Nov 2025, 14:05:09" in store time: for attempt logs, where seconds matter. */
export function exactTime(iso: string | null, store: StoreFormat): string {
  if (iso === null) return '—';
  return new Intl.DateTimeFormat(store.locale, {
    timeZone: store.timezone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso));
}

/** "1 sale", "3 sales". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
