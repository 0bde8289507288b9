import { API_PREFIX, type ApiError, CSRF_HEADER } from '@till/shared/core';
import { requestJson } from '../../../api/http.ts';

/**
 * The manager console's HTTP client. The session travels in an httpOnly cookie the page never
 * sees; the CSRF token from the session answer is sent on every write (SPEC MGR-3). Errors are
 * thrown as `ManageApiError` so TanStack Query shows them; `offline` is set when no answer came.
 */

const MANAGER_PREFIX = `${API_PREFIX}/manager`;

let csrfToken: string | null = null;

/** Remembered from `ManagerSession.csrfToken` on sign-in and on every session check. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ManageApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** `ERROR_CODES` value, or `offline` / `bad_response`. */
    readonly code: string,
    message: string,
    readonly details: ApiError['details'] = undefined,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ManageApiError';
  }

  get offline(): boolean {
    return this.status === 0;
  }
}

export type QueryValue = string | number | boolean | undefined | null;

/** `/api/v1/manager` + path + the defined query values. */
export function managerUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${MANAGER_PREFIX}${path}${search ? `?${search}` : ''}`;
}

/** Long enough for the biggest export or report; a request that outlasts it counts as offline. */
const REQUEST_TIMEOUT_MS = 60_000;

async function send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const outcome = await requestJson<T>({
    fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: 'same-origin' }),
    url,
    method,
    body,
    headers: method !== 'GET' && csrfToken ? { [CSRF_HEADER]: csrfToken } : {},
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  switch (outcome.kind) {
    case 'ok':
      return outcome.body;
    case 'unreachable':
      if (outcome.reason === 'bad_response') throw new ManageApiError(200, 'bad_response', outcome.message);
      throw new ManageApiError(
        0,
        'offline',
        'The server cannot be reached. Check the connection; figures shown may be out of date.',
      );
    case 'error':
      throw new ManageApiError(
        outcome.status,
        outcome.error?.error ?? 'http_error',
        outcome.error?.message ?? `The server answered ${outcome.status}`,
        outcome.error?.details,
        outcome.retryAfterMs === null ? null : Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)),
      );
  }
}

/** GET `/api/v1/manager{path}`. */
export function apiGet<T>(path: string, query?: Record<string, QueryValue>): Promise<T> {
  return send<T>('GET', managerUrl(path, query));
}

/** A write to `/api/v1/manager{path}`, with the CSRF token. */
export function apiSend<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return send<T>(method, managerUrl(path), body);
}
