/** Retry timing for the sync engine: exponential with full jitter, capped. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/** Why a push is to be retried, as far as the wait is concerned. */
export interface RetryCause {
  /** The server answered 429: it shed the request for load (SCALE-1). */
  shed: boolean;
  /** The server's Retry-After, in ms; null when it sent none. */
  retryAfterMs: number | null;
}

/** The wait before the next push, and the failure count that now sizes the exponential window. */
export interface RetryPlan {
  delayMs: number;
  /** Consecutive failures that grew the backoff window; the caller resets it to 0 on a success. */
  escalations: number;
}

/**
 * The wait after a failed push (SYNC-10, SCALE-4).
 *
 * A 429 with a positive Retry-After is the server pacing this till: it has already spread the
 * herd by handing each shed till its own random Retry-After for the time it needs (SCALE-4), so
 * the till comes back after Retry-After plus a small jitter (`pacedDelay`) and does NOT grow its
 * exponential window. Escalating on those 429s is what left the server idle in the 200-till storm:
 * after a few of them the till drew from 16–60 s while the server asked for a few seconds.
 *
 * Anything else — a 5xx (with or without Retry-After), a timeout, a network failure, a 429
 * without Retry-After or with 0 — says nothing about when the server can take us, so the window
 * grows: `backoffDelay` with one more escalation, Retry-After (if any) as a floor.
 */
export function planRetry(
  escalations: number,
  cause: RetryCause,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): RetryPlan {
  const { retryAfterMs } = cause;
  if (cause.shed && retryAfterMs !== null && retryAfterMs > 0) {
    return { delayMs: pacedDelay(retryAfterMs, escalations, random, policy), escalations };
  }
  const escalated = escalations + 1;
  return { delayMs: backoffDelay(escalated, random, policy, retryAfterMs), escalations: escalated };
}

/**
 * Delay before retry number `failures` (1 for the first failure): a uniformly random time in
 * [0, min(cap, base × 2^(failures−1))) — "full jitter", so hundreds of tills that lost the
 * server together do not come back in step. A server's Retry-After is a floor.
 */
export function backoffDelay(
  failures: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  retryAfterMs: number | null = null,
): number {
  const jittered = Math.floor(random() * backoffWindow(failures, policy));
  return retryAfterMs === null ? jittered : Math.max(retryAfterMs, jittered);
}

/**
 * Delay after a 429 with Retry-After: Retry-After plus a jitter uniform in
 * [0, min(Retry-After, the current backoff window)), so never 2 × Retry-After or more.
 *
 * Why a jitter at all: Retry-After is whole seconds (SCALE-1), so tills shed in the same
 * second and handed the same value would come back in the same millisecond. Why this one: with
 * no failure behind it the window is `base` (1 s), which exactly fills the gap between two
 * whole-second values — the server's uniform pick in [1, T] s plus U[0, 1 s) is uniform over
 * [1, T + 1) s, the spread the server asked for, a second later at most. After 5xx or timeouts
 * the window is wider and the till is more careful, but bounded by Retry-After itself, so a
 * paced till is never made to wait more than twice what the server said it needs.
 */
export function pacedDelay(
  retryAfterMs: number,
  escalations: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const window = Math.min(retryAfterMs, backoffWindow(escalations, policy));
  return retryAfterMs + Math.floor(random() * window);
}

/** min(cap, base × 2^(failures−1)), and `base` before any failure. */
function backoffWindow(failures: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 30));
}
