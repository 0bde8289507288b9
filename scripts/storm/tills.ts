// fake-indexeddb first: Dexie (loaded by the till's db module below) looks for indexedDB globals.
import 'fake-indexeddb/auto';
import type { EnrollResponse, PushResponse, Sale } from '@till/shared';
import type { FetchLike } from '../../pwa/src/api/http.ts';
import { CHAIN_HEAD_KEY, countUnsent, type LedgerSale, saveDevice, TillDb } from '../../pwa/src/db/index.ts';
import type { BackoffPolicy } from '../../pwa/src/features/sync/backoff.ts';
import { SyncEngine } from '../../pwa/src/features/sync/sync-engine.ts';
import type { PushMetrics } from './metrics.ts';

/**
 * One till of the storm: the till's own IndexedDB ledger (Dexie over fake-indexeddb, in memory)
 * holding its unsent backlog, and the till's real `SyncEngine` pushing it — the same code as in
 * the browser (deviceSeq order, batches, the pending batch resent under the same id after a
 * timeout or 5xx, Retry-After and exponential backoff with full jitter), on real timers.
 */
export interface StormTill {
  index: number;
  db: TillDb;
  engine: SyncEngine;
  /** Resolves when the engine has nothing left to push (or is blocked), with when. */
  done: Promise<TillFinish>;
  /** Set when `done` resolves. */
  finished: TillFinish | null;
  /** Starts pushing (the till is back online). */
  start(): void;
}

export interface TillFinish {
  at: number;
  phase: 'idle' | 'blocked';
}

/** Loads a till's ledger as the till left it after the outage: enrolled, every sale unsent. */
export async function loadTill(
  index: number,
  runId: string,
  enrollment: EnrollResponse,
  sales: Sale[],
): Promise<TillDb> {
  const db = new TillDb(`storm-${runId}-${index}`);
  await saveDevice(db, {
    deviceId: enrollment.deviceId,
    deviceNo: enrollment.deviceNo,
    deviceName: enrollment.deviceName,
    token: enrollment.deviceToken,
    tenantName: enrollment.tenantName,
    store: enrollment.store,
    enrolledAt: new Date().toISOString(),
  });
  const ledger: LedgerSale[] = sales.map((sale) => ({ ...sale, syncState: 'unsent', sentAt: null }));
  await db.transaction('rw', db.sales, db.chain, async () => {
    await db.sales.bulkAdd(ledger);
    const last = sales.at(-1);
    if (last) await db.chain.put({ key: CHAIN_HEAD_KEY, lastSeq: last.deviceSeq, lastHash: last.hash });
  });
  return db;
}

export interface EngineSettings {
  baseUrl: string;
  batchSize: number;
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
  metrics: PushMetrics;
}

/** A till's sync engine on real timers, its pushes measured. Not started. */
export function tillEngine(index: number, db: TillDb, settings: EngineSettings): StormTill {
  const engine = new SyncEngine({
    db,
    baseUrl: settings.baseUrl,
    fetch: measuredFetch(settings.metrics),
    now: Date.now,
    random: Math.random,
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    locks: null,
    appVersion: 'storm',
    batchSize: settings.batchSize,
    requestTimeoutMs: settings.requestTimeoutMs,
    backoff: settings.backoff,
  });
  let finish: (outcome: TillFinish) => void = () => {};
  const till: StormTill = {
    index,
    db,
    engine,
    done: new Promise<TillFinish>((resolve) => {
      finish = resolve;
    }),
    finished: null,
    start() {
      // start() takes the lead and is already 'pushing' when it returns (the engine passes
      // through 'idle' on the way), so the first 'idle' seen after it means: nothing unsent.
      engine.start();
      const unsubscribe = engine.subscribe((snapshot) => {
        if (snapshot.phase === 'idle' || snapshot.phase === 'blocked') {
          unsubscribe();
          till.finished = { at: Date.now(), phase: snapshot.phase };
          finish(till.finished);
        }
      });
    },
  };
  return till;
}

export function unsentCount(till: StormTill): Promise<number> {
  return countUnsent(till.db);
}

/**
 * `fetch` with a stopwatch: times each push to the end of its body and classifies the answer.
 * It reads the body itself (and hands the engine a copy), so a timeout while the body is still
 * arriving counts as the timeout the engine sees, not as a 200.
 */
function measuredFetch(metrics: PushMetrics): FetchLike {
  return async (input, init) => {
    if (!input.endsWith('/sync/push')) return fetch(input, init);
    const started = performance.now();
    try {
      const response = await fetch(input, init);
      const text = await response.text();
      const latency = performance.now() - started;
      if (response.ok) {
        metrics.record('ok', latency);
        metrics.acknowledged(acknowledgedSales(text), Date.now());
      } else if (response.status === 429) {
        metrics.record('shed', latency);
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter)) metrics.retryAfterSeconds.push(retryAfter);
      } else {
        metrics.record(response.status >= 500 ? 'server_error' : 'client_error', latency, `${response.status} ${text}`);
      }
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      const latency = performance.now() - started;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      metrics.record(init?.signal?.aborted ? 'timeout' : 'network_error', latency, message);
      throw error;
    }
  };
}

function acknowledgedSales(text: string): number {
  try {
    return (JSON.parse(text) as PushResponse).results.length;
  } catch {
    return 0;
  }
}
