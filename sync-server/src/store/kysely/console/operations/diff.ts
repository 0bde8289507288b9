import { canonicalJson } from '@till/shared';

/**
 * The members of `after` whose value differs from `before` (compared as canonical JSON, so member order does not count), as the audit
 * log's `{ before, after }` detail; undefined when nothing changed.
 */
export function changedFields<T extends object>(
  before: T,
  after: T,
): { before: Partial<T>; after: Partial<T> } | undefined {
  const was: Partial<T> = {};
  const is: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
      was[key] = before[key];
      is[key] = after[key];
    }
  }
  return Object.keys(is).length === 0 ? undefined : { before: was, after: is };
}
