import { ManageApiError } from '../api/client.ts';

/** True when the request never got an answer (no network, server down). */
export function isOffline(error: unknown): boolean {
  return error instanceof ManageApiError && error.offline;
}

/** True when the server said the session is missing or over (MGR-2). */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ManageApiError && error.status === 401;
}

/** What to tell a manager about a failed request, in plain words. */
export function errorMessage(error: unknown): string {
  if (error instanceof ManageApiError) {
    if (error.offline) return 'The server cannot be reached.';
    if (error.status === 429) {
      const wait = error.retryAfterSeconds ? ` Try again in ${Math.ceil(error.retryAfterSeconds / 60)} min.` : '';
      return `${error.message}${wait}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
