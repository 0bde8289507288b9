import { formatMoney } from '@till/shared';
import type { ConsoleScope } from '../../../console/types.ts';

/** "1 sale", "3 sales"; `many` for irregular plurals. */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** An amount in the store's currency and locale, e.g. "$54.10". */
export function moneyOf(scope: ConsoleScope): (amount: number) => string {
  return (amount) => formatMoney(amount, scope.store.currency, scope.store.locale);
}

/** "2 h", "90 min". */
export function duration(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/** "Front till", "Front till and Back till", "Front till, Back till and 2 more". */
export function listed(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more`;
}
