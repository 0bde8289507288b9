/** Retry timing for the sync engine: exponential with full jitter, capped. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

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
  const exponent = Math.max(0, failures - 1);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 30));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === null ? jittered : Math.max(retryAfterMs, jittered);
}
