import type { ApiError } from '@till/shared/core';

/** The `fetch` the app is given: the browser's, or a test's. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * How one request to the server ended. Programs branch on `kind`:
 * - `ok`: a 2xx with a JSON body;
 * - `error`: the server answered with an error status (body parsed as ApiError when it is one);
 * - `unreachable`: no usable answer (network down, timeout, dropped connection, unreadable body).
 *   For a write this means its outcome is UNKNOWN, not that it failed.
 */
export type HttpOutcome<T> =
  | { kind: 'ok'; status: number; body: T }
  | { kind: 'error'; status: number; error: ApiError | null; retryAfterMs: number | null }
  | { kind: 'unreachable'; reason: 'network' | 'timeout' | 'bad_response'; message: string };

export interface RequestOptions {
  fetch: FetchLike;
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  token?: string;
  /** More request headers (the console's CSRF token). */
  headers?: Record<string, string>;
  body?: unknown;
  /** Abort after this long; the outcome is then `unreachable` / `timeout`. */
  timeoutMs: number;
  /** Clock for an HTTP-date Retry-After. */
  now?: () => number;
}

/** Sends one JSON request and classifies the answer; never throws. */
export async function requestJson<T>(options: RequestOptions): Promise<HttpOutcome<T>> {
  const controller = new AbortController();
  let timedOut = false;
  // A wall-clock guard on a single request; the retry schedule is driven by the injected clock.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await options.fetch(options.url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: controller.signal,
      cache: 'no-store',
    });
    const text = await response.text();
    if (response.ok) {
      // 204 No Content (a sign-out, say) has no body to parse.
      if (text === '') return { kind: 'ok', status: response.status, body: undefined as T };
      try {
        return { kind: 'ok', status: response.status, body: JSON.parse(text) as T };
      } catch {
        return { kind: 'unreachable', reason: 'bad_response', message: `Unreadable answer (${response.status})` };
      }
    }
    return {
      kind: 'error',
      status: response.status,
      error: parseApiError(text),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), options.now?.() ?? Date.now()),
    };
  } catch (error) {
    if (timedOut)
      return { kind: 'unreachable', reason: 'timeout', message: `No answer within ${options.timeoutMs} ms` };
    return { kind: 'unreachable', reason: 'network', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function parseApiError(text: string): ApiError | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'error' in value && 'message' in value) {
      const { error, message, details } = value as Record<string, unknown>;
      if (typeof error === 'string' && typeof message === 'string') {
        return Array.isArray(details)
          ? { error, message, details: details as ApiError['details'] }
          : { error, message };
      }
    }
  } catch {
    // not JSON: a proxy's error page, say
  }
  return null;
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP-date; null when absent. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A person-readable line for an outcome that was not `ok`. */
export function describeFailure(outcome: Exclude<HttpOutcome<unknown>, { kind: 'ok' }>): string {
  if (outcome.kind === 'unreachable') {
    return outcome.reason === 'timeout' ? 'The server did not answer in time' : 'The server cannot be reached';
  }
  return outcome.error?.message ?? `The server answered ${outcome.status}`;
}
