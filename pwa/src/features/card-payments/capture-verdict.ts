import { type CaptureResponse, ERROR_CODES, type StoredReason } from '@till/shared/core';
import type { HttpOutcome } from '../../api/http.ts';

/**
 * What one live capture answer means for the payment:
 * - `captured` / `declined`: the gateway's final word;
 * - `store`: store-and-forward under the SAME id. `attempt: 'refused'` when the server said it
 *   did not act (nothing was charged), `'unknown'` when a charge may exist (I4: it is settled
 *   later under this id, never retried under a new one);
 * - `conflict`: the server refused the request itself (409 `payment_conflict`, a 400): not a
 *   tender, shown as an error.
 */
export type CaptureVerdict =
  | { kind: 'captured'; gatewayRef: string | null; message: string }
  | { kind: 'declined'; declineCode: string | null; message: string }
  | {
      kind: 'store';
      reason: StoredReason;
      attempt: 'refused' | 'unknown';
      cause: 'gateway_unavailable' | 'gateway_timeout' | 'client_timeout' | 'network' | 'server_error' | 'refused';
      retryAfterMs: number | null;
      detail: string;
    }
  | { kind: 'conflict'; code: string; message: string; attempt: 'refused' | 'unknown' };

function store(
  reason: StoredReason,
  attempt: 'refused' | 'unknown',
  cause: Extract<CaptureVerdict, { kind: 'store' }>['cause'],
  detail: string,
  retryAfterMs: number | null = null,
): CaptureVerdict {
  return { kind: 'store', reason, attempt, cause, retryAfterMs, detail };
}

/** Classifies a capture answer. Anything not clearly captured, declined or refused is "unknown". */
export function classifyCapture(outcome: HttpOutcome<CaptureResponse>, paymentId: string): CaptureVerdict {
  if (outcome.kind === 'unreachable') {
    if (outcome.reason === 'timeout') return store('timeout', 'unknown', 'client_timeout', outcome.message);
    return store('server_unreachable', 'unknown', 'network', outcome.message);
  }
  if (outcome.kind === 'ok') {
    const body = outcome.body;
    if (body?.paymentId === paymentId && body.status === 'captured') {
      return { kind: 'captured', gatewayRef: body.gatewayRef ?? null, message: body.message };
    }
    if (body?.paymentId === paymentId && body.status === 'declined') {
      return { kind: 'declined', declineCode: body.declineCode ?? null, message: body.message };
    }
    return store('server_unreachable', 'unknown', 'server_error', 'The server sent an unreadable capture answer');
  }
  const code = outcome.error?.error ?? `http_${outcome.status}`;
  const message = outcome.error?.message ?? `The server answered ${outcome.status}`;
  switch (outcome.status) {
    case 503:
      return store('gateway_unavailable', 'refused', 'gateway_unavailable', message, outcome.retryAfterMs);
    case 504:
    case 408:
      return store('timeout', 'unknown', 'gateway_timeout', message);
    case 404:
      // A server without live capture: it did nothing with the request.
      return store('gateway_unavailable', 'refused', 'refused', message);
    case 401:
    case 403:
      return store('server_unreachable', 'refused', 'refused', message, outcome.retryAfterMs);
    case 429:
      // Shed by the server's load control before it read the request (SCALE-1): nothing was done
      // for THIS request, but a copy of it (a client's or a proxy's retry) may be charging the
      // card right now, and a 429 cannot say. So "a charge may exist", never "nothing was
      // charged", which would let the cashier take the payment again another way. Found by the
      // fault simulation (tests/sim): a duplicated capture, one copy shed as `device_busy`.
      return store('server_unreachable', 'unknown', 'refused', message, outcome.retryAfterMs);
    case 409:
      // The server holds this id with other figures: whatever happened to it, it is not ours to
      // retry. Its outcome reaches the journal through the updates feed.
      return { kind: 'conflict', code, message, attempt: code === ERROR_CODES.paymentConflict ? 'unknown' : 'refused' };
    default:
      if (outcome.status >= 500) return store('server_unreachable', 'unknown', 'server_error', message);
      return { kind: 'conflict', code, message, attempt: 'refused' };
  }
}
