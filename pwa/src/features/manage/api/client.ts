import { API_PREFIX, type ApiError, CSRF_HEADER } from '@till/shared/core';

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

async function send<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ManageApiError(
      0,
      'offline',
      'The server cannot be reached. Check the connection; figures shown may be out of date.',
    );
  }
  const text = await response.text();
  if (response.ok) {
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ManageApiError(
        response.status,
        'bad_response',
        `Unreadable answer from the server (${response.status})`,
      );
    }
  }
  let error: ApiError | null = null;
  try {
    error = JSON.parse(text) as ApiError;
  } catch {
    // a proxy's error page
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ManageApiError(
    response.status,
    error?.error ?? 'http_error',
    error?.message ?? `The server answered ${response.status}`,
    error?.details,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  );
}

/** GET `/api/v1/manager{path}`. */
export function apiGet<T>(path: string, query?: Record<string, QueryValue>): Promise<T> {
  return send<T>('GET', managerUrl(path, query));
}

/** A write to `/api/v1/manager{path}`, with the CSRF token. */
export function apiSend<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return send<T>(method, managerUrl(path), body);
}
