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
