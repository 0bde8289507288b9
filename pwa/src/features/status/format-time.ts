/** "just now", "4 min", "2 h 5 min", "3 days": how long ago `iso` was, for a glance. */
export function formatAge(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day' : `${days} days`;
}

/** A clock time within the last day, or a short date and time otherwise (in the store's zone). */
export function formatWhen(iso: string, now: number, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  const recent = now - date.getTime() < 20 * 60 * 60_000;
  return recent
    ? date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone })
    : date.toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone });
}

/** "23 h", "45 min", "2 days", "expiring": how long until `iso`, for the stored-card countdown. */
export function formatTimeLeft(iso: string, now: number): string {
  const minutes = Math.floor((Date.parse(iso) - now) / 60_000);
  if (minutes < 1) return 'expiring';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}
