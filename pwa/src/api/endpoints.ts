import {
  API_PREFIX,
  type CaptureRequest,
  type CaptureResponse,
  type CatalogResponse,
  type EnrollRequest,
  type EnrollResponse,
  type HealthResponse,
  type PaymentUpdatesResponse,
  type PushRequest,
  type PushResponse,
  type ShiftPushRequest,
  type ShiftPushResponse,
} from '@till/shared/core';
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

export function pushShiftEvents(
  target: ApiTarget,
  token: string,
  request: ShiftPushRequest,
): Promise<HttpOutcome<ShiftPushResponse>> {
  return call(target, '/sync/shifts', { method: 'POST', token, body: request });
}

/**
 * Live capture of one card payment. The caller sets a short `timeoutMs`: a slow answer is
 * treated as "outcome unknown" and the payment is stored under the same id.
 */
export function capturePayment(
  target: ApiTarget,
  token: string,
  request: CaptureRequest,
): Promise<HttpOutcome<CaptureResponse>> {
  return call(target, '/payments/capture', { method: 'POST', token, body: request });
}

/** Outcomes of this device's card payments changed after `since`. */
export function getPaymentUpdates(
  target: ApiTarget,
  token: string,
  since: number,
): Promise<HttpOutcome<PaymentUpdatesResponse>> {
  return call(target, `/payments/updates?since=${since}`, { token });
}
