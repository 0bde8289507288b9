import { ManageApiError } from '../api/client.ts';

/** A 400's `details`, by JSON pointer (`/taxRates/0/rateBp`), to show next to the field. */
export type FieldErrors = ReadonlyMap<string, string>;

export function fieldErrorsOf(error: unknown): FieldErrors {
  const errors = new Map<string, string>();
  if (!(error instanceof ManageApiError) || error.status !== 400) return errors;
  for (const detail of error.details ?? []) {
    const previous = errors.get(detail.path);
    errors.set(detail.path, previous ? `${previous}; ${detail.message}` : detail.message);
  }
  return errors;
}

/** Messages for `path` and anything below it (`/cardOfflineLimits` covers its three fields). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  const messages: string[] = [];
  for (const [at, message] of errors) {
    if (at === path || at.startsWith(`${path}/`)) messages.push(message);
  }
  return messages.length > 0 ? messages.join('; ') : undefined;
}
