import {
  ERROR_CODES,
  MAX_SHIFT_EVENTS_PER_PUSH,
  PROTOCOL_VERSION,
  type ShiftEventResult,
  type ShiftPushResponse,
} from '@till/shared/core';
import { type ApiTarget, pushShiftEvents } from '../../api/endpoints.ts';
import { describeFailure, type HttpOutcome } from '../../api/http.ts';
import {
  getDevice,
  markShiftEventsAnswered,
  markShiftEventsRejected,
  type ShiftEventRecord,
  setMeta,
  type TillDb,
  takeUnsentShiftEvents,
} from '../../db/index.ts';
import type { SyncBlock } from './push-once.ts';

/** How one push of shift events ended; the engine treats it like a sales push. */
export type ShiftPushOutcome =
  /** No shift event waits. */
  | { kind: 'idle' }
  /** The server committed them: `sent` are now sent, `conflicts` kept aside as conflicts. */
  | { kind: 'sent'; sent: number; conflicts: number }
  /**
   * The server refused the request (400) because of these events: they are set aside as
   * `rejected` with its reason (I9). The others were not stored (ERR-2) and go again at once.
   */
  | { kind: 'rejected'; rejected: number }
  /** Outcome unknown, server unavailable, or refused: nothing changed on the till (I6). `shed`: a 429. */
  | {
      kind: 'retry';
      code: string;
      message: string;
      retryAfterMs: number | null;
      reachedServer: boolean;
      shed: boolean;
    }
  | { kind: 'blocked'; reason: SyncBlock; message: string };

export interface ShiftPushContext {
  db: TillDb;
  target: ApiTarget;
  now: () => number;
  /** Most events per request (default and cap MAX_SHIFT_EVENTS_PER_PUSH). */
  limit?: number;
}

const ANSWERS: ReadonlySet<string> = new Set<ShiftEventResult['status']>(['new', 'duplicate', 'conflict']);

/**
 * Sends the oldest unsent shift events (in `at` order) to `POST /sync/shifts` (SHIFT-1).
 * Events are idempotent by id, so a lost answer is simply sent again: no batch is stored.
 * A 200 marks only the events it names: `new`/`duplicate` → sent, `conflict` → conflict (kept
 * and shown, never resent). A 400 `invalid_request` sets aside the event it names as `rejected`
 * (SHIFT-2, I9). Any other answer changes nothing (I6).
 */
export async function pushShiftsOnce(context: ShiftPushContext): Promise<ShiftPushOutcome> {
  const { db } = context;
  const device = await getDevice(db);
  if (!device) return { kind: 'blocked', reason: 'not_enrolled', message: 'This till is not enrolled.' };
  const limit = Math.min(context.limit ?? MAX_SHIFT_EVENTS_PER_PUSH, MAX_SHIFT_EVENTS_PER_PUSH);
  const events = await takeUnsentShiftEvents(db, limit);
  if (events.length === 0) return { kind: 'idle' };
  const answer = await pushShiftEvents(context.target, device.token, {
    protocolVersion: PROTOCOL_VERSION,
    events: events.map((record) => record.event),
  });
  const outcome = await applyAnswer(context, events, answer);
  if (outcome.kind === 'retry' || outcome.kind === 'blocked') {
    const code = outcome.kind === 'retry' ? outcome.code : outcome.reason;
    await setMeta(db, 'lastSyncError', { code, message: outcome.message, at: new Date(context.now()).toISOString() });
  }
  return outcome;
}

async function applyAnswer(
  context: ShiftPushContext,
  events: readonly ShiftEventRecord[],
  answer: HttpOutcome<ShiftPushResponse>,
): Promise<ShiftPushOutcome> {
  if (answer.kind === 'unreachable') {
    return {
      kind: 'retry',
      code: answer.reason,
      message: describeFailure(answer),
      retryAfterMs: null,
      reachedServer: false,
      shed: false,
    };
  }
  if (answer.kind === 'ok') {
    const sent = new Set(events.map((record) => record.id));
    const results = Array.isArray(answer.body?.results)
      ? answer.body.results.filter((result) => sent.has(result.id) && ANSWERS.has(result.status))
      : [];
    if (results.length === 0)
      return retry('bad_response', 'The server acknowledged none of the shift events sent', null);
    const marked = await markShiftEventsAnswered(context.db, results, new Date(context.now()).toISOString());
    // Nothing changed (another writer got there first): back off rather than loop on it.
    if (marked.sent + marked.conflicts === 0) return retry('bad_response', 'No shift event was still unsent', null);
    return { kind: 'sent', ...marked };
  }
  const code = answer.error?.error ?? `http_${answer.status}`;
  if (answer.status === 401) {
    return { kind: 'blocked', reason: 'unauthorized', message: 'The server does not know this till. Enroll it again.' };
  }
  if (answer.status === 403)
    return { kind: 'blocked', reason: 'revoked', message: 'This till was revoked by a manager.' };
  if (answer.status === 400 && code === ERROR_CODES.unsupportedProtocolVersion) {
    return { kind: 'blocked', reason: 'unsupported_protocol', message: 'This till needs an app update to sync.' };
  }
  if (answer.status === 400 && code === ERROR_CODES.invalidRequest) {
    return rejectMalformed(context, events, answer.error?.details ?? [], describeFailure(answer));
  }
  // The events stay unsent and are offered again later (never dropped, never marked). That
  // includes a 400 that is not the server's own error (a proxy's page, say): it says nothing
  // about the events.
  return retry(code, describeFailure(answer), answer.retryAfterMs, answer.status === 429);
}

const EVENT_PATH = /^\/events\/(\d+)(?:\/|$)/;

/**
 * A 400 `invalid_request` names the malformed events by index (`/events/1/amount`): set aside
 * exactly those, with the server's words. One that names no event we sent sets aside the first
 * with its message, so a request the server can never take does not jam the queue (I9). The
 * others are left unsent: the request failed as a whole, so none of them is stored (ERR-2).
 */
async function rejectMalformed(
  context: ShiftPushContext,
  events: readonly ShiftEventRecord[],
  details: ReadonlyArray<{ path: string; message: string }>,
  message: string,
): Promise<ShiftPushOutcome> {
  const reasons = new Map<string, string>();
  for (const detail of details) {
    const index = EVENT_PATH.exec(detail.path)?.[1];
    const record = index === undefined ? undefined : events[Number(index)];
    if (!record) continue;
    const reason = `${detail.path}: ${detail.message}`;
    const earlier = reasons.get(record.id);
    reasons.set(record.id, earlier ? `${earlier}; ${reason}` : reason);
  }
  const [first] = events;
  if (reasons.size === 0 && first) reasons.set(first.id, message);
  const rejected = await markShiftEventsRejected(context.db, reasons);
  // Nothing changed (another writer got there first): back off rather than loop on it.
  if (rejected === 0) return retry(ERROR_CODES.invalidRequest, message, null);
  return { kind: 'rejected', rejected };
}

function retry(code: string, message: string, retryAfterMs: number | null, shed = false): ShiftPushOutcome {
  return { kind: 'retry', code, message, retryAfterMs, reachedServer: true, shed };
}
