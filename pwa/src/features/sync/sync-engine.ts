import { MAX_SALES_PER_PUSH, uuidv7 } from '@till/shared/core';
import type { FetchLike } from '../../api/http.ts';
import type { TillDb } from '../../db/index.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, planRetry, type RetryCause } from './backoff.ts';
import { type PushOutcome, pushOnce, type SyncBlock } from './push-once.ts';
import { pushShiftsOnce, type ShiftPushOutcome } from './push-shifts.ts';

/** Opaque handle of a scheduled timer. */
export type TimerHandle = unknown;

/** The Web Locks API, as far as the engine uses it. */
export interface LocksLike {
  request(name: string, callback: () => Promise<void>): Promise<unknown>;
}

export interface SyncEngineOptions {
  db: TillDb;
  /** '' for the page's own origin. */
  baseUrl: string;
  fetch: FetchLike;
  now: () => number;
  random: () => number;
  setTimer: (callback: () => void, ms: number) => TimerHandle;
  clearTimer: (handle: TimerHandle) => void;
  /** `navigator.locks`; null or absent where the browser has none (the engine then just runs). */
  locks?: LocksLike | null;
  appVersion: string;
  newBatchId?: () => string;
  /** Most sales per batch (default 100, at most MAX_SALES_PER_PUSH). */
  batchSize?: number;
  /** Give up on one request after this long (default 15 s); its outcome is then unknown. */
  requestTimeoutMs?: number;
  backoff?: BackoffPolicy;
  onChange?: (snapshot: SyncSnapshot) => void;
}

/** What made the engine look for work. */
export type SyncTrigger = 'start' | 'sale' | 'shift' | 'online' | 'visible' | 'timer' | 'manual';

export type SyncPhase = 'stopped' | 'waiting_for_leader' | 'idle' | 'pushing' | 'backoff' | 'blocked';

/** What the status bar shows about sync in this tab. */
export interface SyncSnapshot {
  /** This tab holds the leader lock and is the one pushing. */
  leader: boolean;
  phase: SyncPhase;
  blocked: SyncBlock | null;
  /** Consecutive failed pushes, 429s included (resets on success). */
  failures: number;
  nextAttemptAt: number | null;
  lastError: { code: string; message: string } | null;
  /** Outcome of the last request this engine made. */
  lastContact: { at: number; reachable: boolean } | null;
}

export const LEADER_LOCK = 'till-sync-leader';
const MAX_REBATCHES = 3;

/**
 * The retry state of one queue. Sales and shift events back off separately, so a shift event
 * the server will not take (or a shifts endpoint that is down) never makes a sale wait (I9).
 */
interface RetryLane {
  /** Set while the lane backs off; when it fires, the engine looks for work again. */
  timer: TimerHandle | null;
  /** When that timer fires. */
  dueAt: number;
  /** Not before this time, whatever triggers: the server's Retry-After. */
  notBefore: number;
  /** Failures that grew the exponential backoff window (not paced 429s); a success resets it. */
  escalations: number;
}

function idleLane(): RetryLane {
  return { timer: null, dueAt: 0, notBefore: 0, escalations: 0 };
}

/**
 * Pushes the ledger's unsent sales to the server in deviceSeq order, in batches, from a single
 * leader tab; once no sale waits, the unsent shift events (see push-shifts.ts). Plain class, no
 * React and no globals: the clock, randomness, timers, fetch and locks are injected, so tests
 * drive it against a real HTTP server with a controlled clock.
 *
 * What stays true: a sale is marked sent only after a 200 that names it (I6); a lost answer is
 * retried with the same batch id and sales; a malformed sale or shift event is quarantined and
 * the rest flow (I9); failures retry with capped exponential backoff and full jitter,
 * Retry-After honoured; a 429 with Retry-After is paced by the server and does not grow the
 * backoff (backoff.ts). Shift events back off on their own: their failures never delay a sale.
 */
export class SyncEngine {
  private readonly options: SyncEngineOptions;
  private snapshot: SyncSnapshot = {
    leader: false,
    phase: 'stopped',
    blocked: null,
    failures: 0,
    nextAttemptAt: null,
    lastError: null,
    lastContact: null,
  };
  private readonly listeners = new Set<(snapshot: SyncSnapshot) => void>();
  private started = false;
  private generation = 0;
  private releaseLeader: (() => void) | null = null;
  private readonly sales: RetryLane = idleLane();
  private readonly shifts: RetryLane = idleLane();
  private running: Promise<void> | null = null;
  private again = false;
  private batchLimit: number;

  constructor(options: SyncEngineOptions) {
    this.options = options;
    this.batchLimit = Math.min(options.batchSize ?? 100, MAX_SALES_PER_PUSH);
  }

  /** Asks for the leader lock; pushes start once this tab holds it (until `stop` or the tab closes). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { locks } = this.options;
    if (!locks) {
      this.becomeLeader();
      return;
    }
    this.update({ phase: 'waiting_for_leader' });
    // A stop() and start() in quick succession (React StrictMode does this) leave an older
    // request pending; when it is granted, it lets go at once unless it is still the current one.
    const generation = ++this.generation;
    try {
      locks
        .request(
          LEADER_LOCK,
          () =>
            new Promise<void>((release) => {
              if (!this.started || generation !== this.generation) {
                release();
                return;
              }
              this.releaseLeader = release;
              this.becomeLeader();
            }),
        )
        .catch(() => this.fallBackToRunning(generation));
    } catch {
      this.fallBackToRunning(generation);
    }
  }

  /** Stops pushing and gives up the leader lock. An in-flight request still finishes. */
  stop(): void {
    this.started = false;
    this.generation += 1;
    this.cancelTimer(this.sales);
    this.cancelTimer(this.shifts);
    this.releaseLeader?.();
    this.releaseLeader = null;
    this.update({ leader: false, phase: 'stopped', nextAttemptAt: null });
  }

  /** Looks for work now, if this tab leads and is not blocked or told to wait (Retry-After). */
  trigger(reason: SyncTrigger): void {
    if (!this.snapshot.leader || this.snapshot.blocked) return;
    // While a lane backs off, a new record waits for its timer: only signs that the network came
    // back (or a person asking) cut the wait short, and never before the server's Retry-After.
    // Shift events wait behind sales; sales never wait behind shift events (I9).
    const newRecord = reason === 'sale' || reason === 'shift';
    const now = this.options.now();
    if (this.sales.timer !== null) {
      if (newRecord || now < this.sales.notBefore) return;
      this.cancelTimer(this.sales);
    }
    if (this.shifts.timer !== null && !newRecord && now >= this.shifts.notBefore) this.cancelTimer(this.shifts);
    void this.drain();
  }

  /** Pushes until the queue is empty or a push fails; resolves when done. For "Sync now" and tests. */
  async syncNow(): Promise<void> {
    this.trigger('manual');
    await this.running;
  }

  /** Resolves when the current run of pushes (if any) has finished. */
  async whenIdle(): Promise<void> {
    await this.running;
  }

  /** Lifts a block (after a new enrollment or update) and looks for work. */
  resume(): void {
    if (!this.snapshot.blocked) return;
    this.update({ blocked: null, phase: this.snapshot.leader ? 'idle' : this.snapshot.phase });
    this.trigger('manual');
  }

  getSnapshot(): SyncSnapshot {
    return this.snapshot;
  }

  subscribe(listener: (snapshot: SyncSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One push, exposed for tests; the engine itself calls it from its loop. */
  pushOnce(): Promise<PushOutcome> {
    const { db, baseUrl, fetch, now, appVersion } = this.options;
    return pushOnce({
      db,
      target: { baseUrl, fetch, now, timeoutMs: this.options.requestTimeoutMs ?? 15_000 },
      now,
      newBatchId: this.options.newBatchId ?? uuidv7,
      batchLimit: this.batchLimit,
      appVersion,
    });
  }

  /** One push of unsent shift events, exposed for tests; the loop calls it once no sale waits. */
  pushShiftsOnce(): Promise<ShiftPushOutcome> {
    const { db, baseUrl, fetch, now } = this.options;
    return pushShiftsOnce({
      db,
      target: { baseUrl, fetch, now, timeoutMs: this.options.requestTimeoutMs ?? 15_000 },
      now,
    });
  }

  private becomeLeader(): void {
    this.update({ leader: true, phase: 'idle' });
    this.trigger('start');
  }

  private fallBackToRunning(generation: number): void {
    if (this.started && generation === this.generation && !this.snapshot.leader) this.becomeLeader();
  }

  private drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runLoop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runLoop(): Promise<void> {
    do {
      this.again = false;
      await this.pushUntilDone();
    } while (this.again && this.snapshot.leader && !this.snapshot.blocked && this.sales.timer === null);
  }

  private async pushUntilDone(): Promise<void> {
    let rebatches = 0;
    while (this.snapshot.leader) {
      this.update({ phase: 'pushing', nextAttemptAt: null });
      const sales = await attempt(() => this.pushOnce());
      if (sales.kind === 'rebatch') {
        this.update({ lastContact: { at: this.options.now(), reachable: true } });
        if (sales.reason === 'payload_too_large') this.batchLimit = Math.max(1, Math.floor(sales.size / 2));
        if (++rebatches <= MAX_REBATCHES) continue;
        this.scheduleRetry(
          this.sales,
          { code: sales.reason, message: 'The server kept refusing new batches' },
          { shed: false, retryAfterMs: null },
        );
        return;
      }
      if (sales.kind === 'sent' || sales.kind === 'rejected') rebatches = 0;
      if (sales.kind !== 'idle') {
        if (this.settle(sales, this.sales)) continue;
        return;
      }
      this.sales.escalations = 0;
      // Sales first; the server folds shift events whatever arrives first (SHIFT-2, SHIFT-3).
      // Shift events that are backing off wait for their own timer, with every sale sent.
      if (this.shifts.timer !== null) {
        this.update({ phase: 'backoff', nextAttemptAt: this.shifts.dueAt });
        return;
      }
      if (!this.settle(await attempt(() => this.pushShiftsOnce()), this.shifts)) return;
    }
  }

  /** Records how one push of `lane` ended; true when the engine should look for more work now. */
  private settle(outcome: Exclude<PushOutcome | ShiftPushOutcome, { kind: 'rebatch' }>, lane: RetryLane): boolean {
    const now = this.options.now();
    switch (outcome.kind) {
      case 'idle':
        lane.escalations = 0;
        this.update({ phase: 'idle', failures: 0 });
        return false;
      case 'sent':
      case 'rejected':
        lane.escalations = 0;
        this.update({ failures: 0, lastError: null, lastContact: { at: now, reachable: true } });
        return true;
      case 'retry':
        this.update({ lastContact: { at: now, reachable: outcome.reachedServer } });
        this.scheduleRetry(lane, outcome, outcome);
        return false;
      case 'blocked':
        // Not a lane's wait: the till's credential or app version, which every push shares.
        this.update({
          phase: 'blocked',
          blocked: outcome.reason,
          lastError: { code: outcome.reason, message: outcome.message },
          lastContact: outcome.reason === 'not_enrolled' ? this.snapshot.lastContact : { at: now, reachable: true },
        });
        return false;
    }
  }

  private scheduleRetry(lane: RetryLane, error: { code: string; message: string }, cause: RetryCause): void {
    const failures = this.snapshot.failures + 1;
    const plan = planRetry(lane.escalations, cause, this.options.random, this.options.backoff ?? DEFAULT_BACKOFF);
    lane.escalations = plan.escalations;
    const now = this.options.now();
    lane.notBefore = cause.retryAfterMs === null ? 0 : now + cause.retryAfterMs;
    lane.dueAt = now + plan.delayMs;
    this.cancelTimer(lane);
    lane.timer = this.options.setTimer(() => {
      lane.timer = null;
      // Shift events that come due while sales back off go after the sales' own retry.
      if (this.sales.timer === null) void this.drain();
    }, plan.delayMs);
    this.update({
      phase: 'backoff',
      failures,
      nextAttemptAt: lane.dueAt,
      lastError: { code: error.code, message: error.message },
    });
  }

  private cancelTimer(lane: RetryLane): void {
    if (lane.timer !== null) this.options.clearTimer(lane.timer);
    lane.timer = null;
  }

  private update(change: Partial<SyncSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.options.onChange?.(this.snapshot);
    for (const listener of this.listeners) listener(this.snapshot);
  }
}

type RetryOutcome = Extract<PushOutcome, { kind: 'retry' }>;

/** One push; IndexedDB trouble (quota, a closing database) marked nothing, so it is retried later. */
async function attempt<T extends PushOutcome | ShiftPushOutcome>(push: () => Promise<T>): Promise<T | RetryOutcome> {
  try {
    return await push();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'retry', code: 'local_error', message, retryAfterMs: null, reachedServer: false, shed: false };
  }
}
