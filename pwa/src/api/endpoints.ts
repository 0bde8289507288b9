import {
  API_PREFIX,
  type CatalogResponse,
  type EnrollRequest,
  type EnrollResponse,
  type HealthResponse,
  type PushRequest,
  type PushResponse,
} from '@till/shared';
import { type FetchLike, type HttpOutcome, requestJson } from './http.ts';

/** Where the server is and how to reach it. `baseUrl` is '' in the browser (same origin). */
export interface ApiTarget {
  baseUrl: string;
  fetch: FetchLike;
  timeoutMs?: number;
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function call<T>(
  target: ApiTarget,
  path: string,
  init: { method?: 'GET' | 'POST'; token?: string; body?: unknown },
): Promise<HttpOutcome<T>> {
  return requestJson<T>({
    fetch: target.fetch,
    url: `${target.baseUrl}${API_PREFIX}${path}`,
    timeoutMs: target.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(target.now ? { now: target.now } : {}),
    ...init,
  });
}

export function getHealth(target: ApiTarget): Promise<HttpOutcome<HealthResponse>> {
  return call(target, '/health', {});
}

export function enrollDevice(target: ApiTarget, request: EnrollRequest): Promise<HttpOutcome<EnrollResponse>> {
  return call(target, '/devices/enroll', { method: 'POST', body: request });
}

export function getCatalog(target: ApiTarget, token: string, since: number): Promise<HttpOutcome<CatalogResponse>> {
  return call(target, `/catalog?since=${since}`, { token });
}

export function pushSales(target: ApiTarget, token: string, request: PushRequest): Promise<HttpOutcome<PushResponse>> {
  return call(target, '/sync/push', { method: 'POST', token, body: request });
}
