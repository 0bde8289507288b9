/**
 * Admission control for one expensive route (push, live capture) in one process: at most
 * `maxConcurrent` requests in flight, then a short FIFO queue of at most `queueLimit` that waits
 * at most `queueTimeoutMs`; anything beyond is shed at once with a Retry-After. A key (the
 * device) holds at most one place, in flight or queued, so one till cannot take every slot
 * and the FIFO queue serves devices in turn (SPEC SCALE-1…SCALE-3).
 *
 * What must stay true: every admitted ticket is released exactly once (a lost release would
 * shrink capacity for ever), and a request that is shed or gives up while queued holds nothing.
 * No Fastify here: the clock, timers and randomness are injected so tests drive them.
 */

export interface AdmissionLimits {
  /** Requests doing work at once. */
  maxConcurrent: number;
  /** Requests that may wait for a slot; 0 sheds as soon as every slot is taken. */
  queueLimit: number;
  /** Longest a queued request waits before it is shed. */
  queueTimeoutMs: number;
}

export interface AdmissionOptions extends AdmissionLimits {
  /** A monotonic clock in ms (service times). */
  now?: () => number;
  /** Random numbers in [0, 1), for the Retry-After jitter. */
  random?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Service time assumed before any request has finished. Default 100 ms. */
  initialServiceMs?: number;
  /** Largest Retry-After, in seconds. Default 30. */
  maxRetryAfterSeconds?: number;
}

export type ShedReason = 'queue_full' | 'queue_timeout' | 'device_busy';

export type Admission =
  | { kind: 'admitted'; ticket: AdmissionTicket; waitedMs: number }
  | { kind: 'shed'; reason: ShedReason; retryAfterSeconds: number; inFlight: number; queued: number }
  /** The caller's signal aborted while it waited (its client went away); it holds nothing. */
  | { kind: 'abandoned' };

export interface AdmissionTicket {
  /** Gives the slot back; later calls do nothing. */
  release(): void;
}

export interface AdmissionStats {
  maxConcurrent: number;
  queueLimit: number;
  inFlight: number;
  queued: number;
  admitted: number;
  shed: number;
  shedQueueFull: number;
  shedQueueTimeout: number;
  shedDeviceBusy: number;
  abandoned: number;
  peakInFlight: number;
  peakQueued: number;
  /** Moving average of how long an admitted request holds its slot. */
  serviceMs: number;
  /** Devices shed within the last minute and not admitted since: who will be back. */
  waitingDevices: number;
}

interface Waiter {
  key: string;
  enqueuedAt: number;
  timer: unknown;
  settle: (admission: Admission) => void;
  detach: () => void;
}

/** How long a shed device counts as "waiting outside" for the Retry-After estimate. */
const SHED_MEMORY_MS = 60_000;
/** Weight of the newest service time in the moving average. */
const SERVICE_EWMA = 0.2;

export class AdmissionController {
  private readonly limits: AdmissionLimits;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly maxRetryAfterSeconds: number;
  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  /** Keys in flight or queued: at most one place per device. */
  private readonly busyKeys = new Set<string>();
  /** Keys shed recently, oldest first (re-inserted on every shed), with the time. */
  private readonly shedKeys = new Map<string, number>();
  private serviceMs: number;
  private readonly counts = {
    admitted: 0,
    shedQueueFull: 0,
    shedQueueTimeout: 0,
    shedDeviceBusy: 0,
    abandoned: 0,
    peakInFlight: 0,
    peakQueued: 0,
  };

  constructor(options: AdmissionOptions) {
    for (const [name, value, min] of [
      ['maxConcurrent', options.maxConcurrent, 1],
      ['queueLimit', options.queueLimit, 0],
      ['queueTimeoutMs', options.queueTimeoutMs, 1],
    ] as const) {
      if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}`);
    }
    this.limits = {
      maxConcurrent: options.maxConcurrent,
      queueLimit: options.queueLimit,
      queueTimeoutMs: options.queueTimeoutMs,
    };
    this.now = options.now ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.serviceMs = options.initialServiceMs ?? 100;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 30;
  }

  /**
   * Admits the request now, queues it, or sheds it. `key` is the device: a device with a
   * request in flight or queued is shed at once (`device_busy`). An abort of `signal` while
   * queued takes the request out of the queue (`abandoned`).
   */
  admit(key: string, signal?: AbortSignal): Promise<Admission> {
    if (signal?.aborted) return Promise.resolve({ kind: 'abandoned' });
    if (this.busyKeys.has(key)) return Promise.resolve(this.shed(key, 'device_busy'));
    if (this.inFlight < this.limits.maxConcurrent && this.queue.length === 0) {
      return Promise.resolve({ kind: 'admitted', ticket: this.grant(key), waitedMs: 0 });
    }
    if (this.queue.length >= this.limits.queueLimit) return Promise.resolve(this.shed(key, 'queue_full'));
    return new Promise<Admission>((resolve) => {
      const onAbort = () => {
        this.leaveQueue(waiter);
        this.counts.abandoned += 1;
        resolve({ kind: 'abandoned' });
      };
      const waiter: Waiter = {
        key,
        enqueuedAt: this.now(),
        timer: this.setTimer(() => {
          this.leaveQueue(waiter);
          resolve(this.shed(key, 'queue_timeout'));
        }, this.limits.queueTimeoutMs),
        settle: resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.busyKeys.add(key);
      this.counts.peakQueued = Math.max(this.counts.peakQueued, this.queue.length);
    });
  }

  stats(): AdmissionStats {
    const { admitted, shedQueueFull, shedQueueTimeout, shedDeviceBusy, abandoned, peakInFlight, peakQueued } =
      this.counts;
    return {
      maxConcurrent: this.limits.maxConcurrent,
      queueLimit: this.limits.queueLimit,
      inFlight: this.inFlight,
      queued: this.queue.length,
      admitted,
      shed: shedQueueFull + shedQueueTimeout + shedDeviceBusy,
      shedQueueFull,
      shedQueueTimeout,
      shedDeviceBusy,
      abandoned,
      peakInFlight,
      peakQueued,
      serviceMs: Math.round(this.serviceMs),
      waitingDevices: this.waitingDevices(),
    };
  }

  private grant(key: string): AdmissionTicket {
    this.inFlight += 1;
    this.busyKeys.add(key);
    this.shedKeys.delete(key);
    this.counts.admitted += 1;
    this.counts.peakInFlight = Math.max(this.counts.peakInFlight, this.inFlight);
    const startedAt = this.now();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.busyKeys.delete(key);
        this.serviceMs += SERVICE_EWMA * (this.now() - startedAt - this.serviceMs);
        this.handOver();
      },
    };
  }

  /** A freed slot goes to the oldest waiter (FIFO: devices are served in the order they came). */
  private handOver(): void {
    while (this.inFlight < this.limits.maxConcurrent) {
      const next = this.queue.shift();
      if (next === undefined) return;
      this.clearTimer(next.timer);
      next.detach();
      this.busyKeys.delete(next.key);
      next.settle({ kind: 'admitted', ticket: this.grant(next.key), waitedMs: this.now() - next.enqueuedAt });
    }
  }

  private leaveQueue(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index === -1) return;
    this.queue.splice(index, 1);
    this.clearTimer(waiter.timer);
    waiter.detach();
    this.busyKeys.delete(waiter.key);
  }

  private shed(key: string, reason: ShedReason): Admission {
    if (reason === 'queue_full') this.counts.shedQueueFull += 1;
    else if (reason === 'queue_timeout') this.counts.shedQueueTimeout += 1;
    else this.counts.shedDeviceBusy += 1;
    // A device whose own request is in flight is not waiting outside: it is being served.
    if (reason !== 'device_busy') {
      this.shedKeys.delete(key);
      this.shedKeys.set(key, this.now());
    }
    return {
      kind: 'shed',
      reason,
      retryAfterSeconds: this.retryAfterSeconds(reason),
      inFlight: this.inFlight,
      queued: this.queue.length,
    };
  }

  /**
   * When to come back. Everyone known to be waiting — queued here, plus devices shed in the last
   * minute and not served since — is served at about `maxConcurrent / serviceMs`; that sets a
   * horizon, and each shed request gets a uniformly random point in it ("full jitter"), so the
   * retries arrive spread over the time the server needs instead of all at once. At least 1 s
   * (Retry-After counts whole seconds). A device shed for its own request in flight just waits
   * about one service time.
   */
  private retryAfterSeconds(reason: ShedReason): number {
    if (reason === 'device_busy') return Math.max(1, Math.ceil(this.serviceMs / 1000));
    const waiting = this.queue.length + this.waitingDevices();
    const horizonSeconds = (waiting * this.serviceMs) / this.limits.maxConcurrent / 1000;
    const jittered = 1 + Math.floor(this.random() * Math.max(1, horizonSeconds));
    return Math.min(this.maxRetryAfterSeconds, jittered);
  }

  private waitingDevices(): number {
    const cutoff = this.now() - SHED_MEMORY_MS;
    for (const [key, at] of this.shedKeys) {
      if (at >= cutoff) break;
      this.shedKeys.delete(key);
    }
    return this.shedKeys.size;
  }
}
