/**
 * A token bucket for calls to the gateway, on an injected clock and with no timers: `take()`
 * reserves the next free slot and says how long to wait for it, so concurrent callers queue up
 * spaced `1000 / ratePerSecond` ms apart instead of all waking at once. Written as GCRA (the
 * "virtual scheduling" form of a token bucket): one number, the theoretical arrival time, holds
 * the whole state.
 *
 * `pauseUntil(t)` honours a gateway's `Retry-After` for every caller: nothing goes before `t`,
 * and after `t` calls resume at the steady rate — no burst — so a recovering gateway is not hit
 * by the whole queue at once.
 */
export interface RateLimiterOptions {
  now(): number;
  /** Sustained calls per second. */
  ratePerSecond: number;
  /** Calls that may go back to back after a quiet spell. Default 1 (strict spacing). */
  burst?: number;
}

export interface RateLimiterSnapshot {
  ratePerSecond: number;
  burst: number;
  /** Latest `pauseUntil` still in the future, else null. */
  pausedUntil: number | null;
  /** Wait a `take()` would get now. */
  waitMs: number;
}

export interface RateLimiter {
  /** Reserves a slot; returns ms to wait before calling (0 = call now). */
  take(): number;
  /** The wait `take()` would return now, without reserving anything. */
  peek(): number;
  /** Nobody's call goes before `time` (ms, by `now()`). */
  pauseUntil(time: number): void;
  state(): RateLimiterSnapshot;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { now, ratePerSecond } = options;
  if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`);
  const burst = Math.max(1, Math.floor(options.burst ?? 1));
  const interval = 1000 / ratePerSecond;
  const tolerance = (burst - 1) * interval;
  /** When the next call would be "on schedule"; calls may run up to `tolerance` ahead of it. */
  let theoreticalArrival = Number.NEGATIVE_INFINITY;
  let pausedUntil: number | null = null;

  const waitAt = (at: number): number => Math.max(0, Math.max(theoreticalArrival, at) - tolerance - at);

  return {
    take() {
      const at = now();
      const wait = waitAt(at);
      theoreticalArrival = Math.max(theoreticalArrival, at) + interval;
      return Math.ceil(wait);
    },
    peek: () => Math.ceil(waitAt(now())),
    pauseUntil(time) {
      theoreticalArrival = Math.max(theoreticalArrival, time + tolerance);
      pausedUntil = Math.max(pausedUntil ?? time, time);
    },
    state() {
      const at = now();
      return {
        ratePerSecond,
        burst,
        pausedUntil: pausedUntil !== null && pausedUntil > at ? pausedUntil : null,
        waitMs: Math.ceil(waitAt(at)),
      };
    },
  };
}
