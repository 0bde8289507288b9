import {
  type DeviceStatus,
  ERROR_CODES,
  PROTOCOL_VERSION,
  type PushRequest,
  type PushResponse,
} from '@till/shared/core';
import { type ApiTarget, pushSales } from '../../api/endpoints.ts';
import { describeFailure, type HttpOutcome } from '../../api/http.ts';
import {
  deleteMeta,
  getDevice,
  getMeta,
  type LedgerSale,
  loadPendingSales,
  markBatchSent,
  markRejected,
  type PendingBatch,
  setMeta,
  summariseQueueBehind,
  type TillDb,
  takeUnsent,
  toWireSale,
} from '../../db/index.ts';

/** Why the engine stopped and needs a person (or a new enrollment) before it pushes again. */
export type SyncBlock = 'not_enrolled' | 'unauthorized' | 'revoked' | 'unsupported_protocol';

/** How one push ended; the engine decides what to do next from `kind`. */
export type PushOutcome =
  /** Nothing unsent. */
  | { kind: 'idle' }
  /** The server committed the batch; `marked` sales are now `sent`. */
  | { kind: 'sent'; batchId: string; marked: number; resent: boolean }
  /** The server refused the batch because of these sales; they are quarantined (I9). */
  | { kind: 'rejected'; batchId: string; rejected: number }
  /** The batch id was taken (409) or the batch was too large (413): try again with a new batch. */
  | { kind: 'rebatch'; batchId: string; reason: 'batch_id_reused' | 'payload_too_large'; size: number }
  /**
   * Outcome unknown or server unavailable: nothing changed in the ledger (I6); retry later.
   * `shed`: the server answered 429, so its Retry-After paces the retry (backoff.ts).
   */
  | {
      kind: 'retry';
      code: string;
      message: string;
      retryAfterMs: number | null;
      reachedServer: boolean;
      shed: boolean;
    }
  /** Cannot push until something changes (enrollment, an app update). */
  | { kind: 'blocked'; reason: SyncBlock; message: string };

export interface PushContext {
  db: TillDb;
  target: ApiTarget;
  now: () => number;
  newBatchId: () => string;
  /** Most sales in a new batch. */
  batchLimit: number;
  appVersion: string;
}

interface Batch {
  batchId: string;
  sales: LedgerSale[];
  deviceStatus: DeviceStatus;
  resent: boolean;
}

/**
 * One push: resend the stored pending batch if it is still wholly unsent, otherwise make a new
 * one from the front of the queue. The batch is stored BEFORE it is sent, so that if the answer
 * is lost the retry carries the same id and the same sales (and the server answers it the same).
 */
export async function pushOnce(context: PushContext): Promise<PushOutcome> {
  const { db } = context;
  const device = await getDevice(db);
  if (!device) return { kind: 'blocked', reason: 'not_enrolled', message: 'This till is not enrolled.' };
  const batch = await nextBatch(context);
  if (!batch) return { kind: 'idle' };
  const request: PushRequest = {
    protocolVersion: PROTOCOL_VERSION,
    batchId: batch.batchId,
    sales: batch.sales.map(toWireSale),
    deviceStatus: batch.deviceStatus,
  };
  const answer = await pushSales(context.target, device.token, request);
  const outcome = await applyAnswer(context, batch, answer);
  if (outcome.kind === 'retry' || outcome.kind === 'blocked') {
    const code = outcome.kind === 'retry' ? outcome.code : outcome.reason;
    await setMeta(db, 'lastSyncError', { code, message: outcome.message, at: isoAt(context.now) });
  }
  return outcome;
}

async function nextBatch(context: PushContext): Promise<Batch | null> {
  const { db } = context;
  const pending = await getMeta(db, 'pendingBatch');
  if (pending) {
    const sales = await loadPendingSales(db, pending);
    if (sales) {
      return {
        batchId: pending.batchId,
        sales,
        deviceStatus: pending.deviceStatus ?? (await deviceStatus(context, sales.length)),
        resent: true,
      };
    }
    // Some of its sales are no longer unsent (marked by an earlier answer): never resend it.
    await deleteMeta(db, 'pendingBatch');
  }
  const sales = await takeUnsent(db, context.batchLimit);
  if (sales.length === 0) return null;
  const status = await deviceStatus(context, sales.length);
  const stored: PendingBatch = {
    batchId: context.newBatchId(),
    saleIds: sales.map((sale) => sale.id),
    createdAt: isoAt(context.now),
    deviceStatus: status,
  };
  await setMeta(db, 'pendingBatch', stored);
  return { batchId: stored.batchId, sales, deviceStatus: status, resent: false };
}

/** The till's state for the manager's device list, as it will be once this batch of `batchSize` is stored. */
async function deviceStatus(context: PushContext, batchSize: number): Promise<DeviceStatus> {
  const queue = await summariseQueueBehind(context.db, batchSize);
  const persisted = await getMeta(context.db, 'storagePersisted');
  return {
    appVersion: context.appVersion,
    unsentCount: queue.unsentCount,
    oldestUnsentAt: queue.oldestUnsentAt,
    storagePersisted: persisted ?? null,
  };
}

async function applyAnswer(
  context: PushContext,
  batch: Batch,
  answer: HttpOutcome<PushResponse>,
): Promise<PushOutcome> {
  const { db } = context;
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
    const inBatch = new Set(batch.sales.map((sale) => sale.id));
    const body = answer.body;
    if (body?.batchId !== batch.batchId || !Array.isArray(body.results)) {
      return retry('bad_response', 'The server sent an answer for another batch', null);
    }
    // Every sale named in `results` is durably committed on the server, whatever its status.
    const results = body.results.filter((result) => inBatch.has(result.saleId));
    // An answer that acknowledges none of our sales changes nothing; resending the same batch
    // later (with backoff) beats looping on fresh batches against a confused server.
    if (results.length === 0) return retry('bad_response', 'The server acknowledged none of the sales sent', null);
    const marked = await markBatchSent(db, batch.batchId, results, isoAt(context.now));
    return { kind: 'sent', batchId: batch.batchId, marked, resent: batch.resent };
  }
  const code = answer.error?.error ?? `http_${answer.status}`;
  const message = describeFailure(answer);
  switch (answer.status) {
    case 401:
      return {
        kind: 'blocked',
        reason: 'unauthorized',
        message: 'The server does not know this till. Enroll it again.',
      };
    case 403:
      return { kind: 'blocked', reason: 'revoked', message: 'This till was revoked by a manager.' };
    case 409:
      if (code !== ERROR_CODES.batchIdReused) return retry(code, message, answer.retryAfterMs);
      await deleteMeta(db, 'pendingBatch');
      return { kind: 'rebatch', batchId: batch.batchId, reason: 'batch_id_reused', size: batch.sales.length };
    case 413:
      return tooLarge(context, batch);
    case 400:
      if (code === ERROR_CODES.unsupportedProtocolVersion) {
        return { kind: 'blocked', reason: 'unsupported_protocol', message: 'This till needs an app update to sync.' };
      }
      return rejectMalformed(context, batch, answer.error?.details ?? [], message);
    default:
      return retry(code, message, answer.retryAfterMs, answer.status === 429);
  }
}

function retry(code: string, message: string, retryAfterMs: number | null, shed = false): PushOutcome {
  return { kind: 'retry', code, message, retryAfterMs, reachedServer: true, shed };
}

const SALE_PATH = /^\/sales\/(\d+)(?:\/|$)/;

/** A 400 names the malformed sales by index (`/sales/3/lines/0/qty`): quarantine exactly those. */
async function rejectMalformed(
  context: PushContext,
  batch: Batch,
  details: ReadonlyArray<{ path: string; message: string }>,
  message: string,
): Promise<PushOutcome> {
  const reasons = new Map<string, string>();
  for (const detail of details) {
    const index = SALE_PATH.exec(detail.path)?.[1];
    const sale = index === undefined ? undefined : batch.sales[Number(index)];
    if (!sale) continue;
    const reason = `${detail.path}: ${detail.message}`;
    const earlier = reasons.get(sale.id);
    reasons.set(sale.id, earlier ? `${earlier}; ${reason}` : reason);
  }
  // A 400 means nothing of the batch was written, so it is safe to forget the batch either way.
  await deleteMeta(context.db, 'pendingBatch');
  if (reasons.size === 0) return retry('invalid_request', message, null);
  const rejected = await markRejected(context.db, reasons);
  return { kind: 'rejected', batchId: batch.batchId, rejected };
}

/** 413: a one-sale batch is itself too large, so that sale is quarantined; else rebatch smaller. */
async function tooLarge(context: PushContext, batch: Batch): Promise<PushOutcome> {
  const [only] = batch.sales;
  if (batch.sales.length === 1 && only) {
    const rejected = await markRejected(context.db, new Map([[only.id, 'The sale is too large for the server']]));
    return { kind: 'rejected', batchId: batch.batchId, rejected };
  }
  await deleteMeta(context.db, 'pendingBatch');
  return { kind: 'rebatch', batchId: batch.batchId, reason: 'payload_too_large', size: batch.sales.length };
}

function isoAt(now: () => number): string {
  return new Date(now()).toISOString();
}
