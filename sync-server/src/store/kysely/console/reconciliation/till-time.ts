import type { InstantRange } from '../../../console/types.ts';

/**
 * Till times (`sales.created_at`, `shifts.opened_at`) are stored as the till sent them: ISO 8601
 * with any offset, so comparing them with a range as strings in SQL is only approximately a
 * time comparison. Queries select a window widened by more than the largest offsets (−12 h …
 * +14 h) and `isWithin` then keeps exactly the instants of the range. Server times (received,
 * audit, batch times) are always `toISOString()` and compare as strings directly.
 */
const WIDEST_OFFSET_MS = 15 * 3_600_000;

/** `range` widened so that every till time inside it, whatever its offset, is inside this as a string. */
export function tillTimeWindow(range: InstantRange): InstantRange {
  return {
    from: new Date(Date.parse(range.from) - WIDEST_OFFSET_MS).toISOString(),
    to: new Date(Date.parse(range.to) + WIDEST_OFFSET_MS).toISOString(),
  };
}

/** True when the instant `at` (ISO 8601, any offset) falls in [range.from, range.to). */
export function isWithin(at: string, range: InstantRange): boolean {
  const instant = Date.parse(at);
  return instant >= Date.parse(range.from) && instant < Date.parse(range.to);
}
