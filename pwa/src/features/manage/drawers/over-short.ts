import type { ShiftRow } from '@till/shared/core';
import type { BadgeTone } from '../ui/Badge.tsx';
import { money, type StoreFormat } from '../ui/format.ts';

/** "+$1.00" over, "−$2.50" short, "$0.00" balanced: the sign is the point, so it is always shown. */
export function signedMoney(amount: number, store: StoreFormat): string {
  if (amount === 0) return money(0, store);
  return `${amount > 0 ? '+' : '−'}${money(Math.abs(amount), store)}`;
}

/** Balanced is green; over is amber (money to explain); short is red (money missing). */
export function overShortTone(overShort: number): BadgeTone {
  if (overShort === 0) return 'ok';
  return overShort > 0 ? 'warn' : 'bad';
}

export function overShortWord(shift: Pick<ShiftRow, 'overShort'>): string {
  if (shift.overShort === null) return 'open';
  if (shift.overShort === 0) return 'balanced';
  return shift.overShort > 0 ? 'over' : 'short';
}
