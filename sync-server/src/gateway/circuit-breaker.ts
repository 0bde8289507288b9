/**
 * A circuit breaker for the gateway, on an injected clock and with no timers: time moves only
 * when `now()` says so, which keeps it exact under test and cheap to run in every worker.
 *
 * - closed: calls pass. `failureThreshold` consecutive failures open it. Consecutive, not a rate
 *   in a window: the capture worker's traffic is bursty and low-volume (a drain after an outage,
 *   then a trickle), where a rate over few calls is noise, while N failures in a row with no
 *   success between is an unambiguous "the gateway is not answering".
 * - open: calls fail fast (the caller gets `retryAfterMs` = time to the probe) for `openMs`.
 * - half-open: ONE probe is let through; its success closes the breaker, its failure reopens it
 *   for twice as long (up to `maxOpenMs`). A probe whose result never comes back (its caller
 *   died) frees the slot after `probeLeaseMs`, so the breaker cannot wedge half-open.
 *
 * What counts as a failure is the caller's call (see `guardedGateway`): only "the gateway did
 * not answer". Declines, 4xx and 429 are answers — the gateway is up.
 *
 * State lives in one process. With several workers each has its own breaker; that is fine for
 * protecting the gateway (each backs off) and needs no shared store.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSnapshot {
  state: CircuitState;
  /** When it last opened (by `now()`); null while closed. */
  openedAt: number | null;
  consecutiveFailures: number;
  /** When the next probe may go (open), or when a stuck probe's lease ends (half-open). */
  nextProbeAt: number | null;
  /** The open period in force: `openMs`, doubled by each failed probe, capped at `maxOpenMs`. */
  openMs: number;
}

export interface CircuitBreakerOptions {
  now(): number;
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** First open period. Default 5 s. */
  openMs?: number;
  /** Cap on the open period after repeated failed probes. Default 60 s. */
  maxOpenMs?: number;
  /** How long a probe may stay unanswered before another may go. Default 30 s. */
  probeLeaseMs?: number;
}

/** Permission to make one call; hand it back with the result. */
export interface CircuitPermit {
  readonly probe: boolean;
}

export type CircuitDecision = { allowed: true; permit: CircuitPermit } | { allowed: false; retryAfterMs: number };

export interface CircuitBreaker {
  /** Asks to make a call. Never calls the gateway itself. */
  tryAcquire(): CircuitDecision;
  /** The gateway answered. */
  recordSuccess(permit: CircuitPermit): void;
  /** The gateway did not answer (unreachable, timed out, 5xx). */
  recordFailure(permit: CircuitPermit): void;
  state(): CircuitSnapshot;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { now } = options;
  const failureThreshold = options.failureThreshold ?? 5;
  const baseOpenMs = options.openMs ?? 5_000;
  const maxOpenMs = Math.max(baseOpenMs, options.maxOpenMs ?? 60_000);
  const probeLeaseMs = options.probeLeaseMs ?? 30_000;

  let state: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let openedAt: number | null = null;
  let openMs = baseOpenMs;
  /** The permit of the probe in flight, and when its lease ends. */
  let probe: { permit: CircuitPermit; leaseEndsAt: number } | null = null;

  const open = (at: number): void => {
    state = 'open';
    openedAt = at;
    probe = null;
  };

  return {
    tryAcquire() {
      const at = now();
      if (state === 'closed') return { allowed: true, permit: { probe: false } };
      if (state === 'open') {
        const probeAt = (openedAt ?? at) + openMs;
        if (at < probeAt) return { allowed: false, retryAfterMs: probeAt - at };
        state = 'half_open';
      }
      if (probe && at < probe.leaseEndsAt) return { allowed: false, retryAfterMs: probe.leaseEndsAt - at };
      const permit: CircuitPermit = { probe: true };
      probe = { permit, leaseEndsAt: at + probeLeaseMs };
      return { allowed: true, permit };
    },

    recordSuccess(permit) {
      if (state === 'closed') {
        consecutiveFailures = 0;
        return;
      }
      // While open or half-open only the current probe speaks for the gateway; a call that
      // started before the circuit opened proves little about now.
      if (probe?.permit !== permit) return;
      state = 'closed';
      consecutiveFailures = 0;
      openedAt = null;
      openMs = baseOpenMs;
      probe = null;
    },

    recordFailure(permit) {
      const at = now();
      if (state === 'closed') {
        consecutiveFailures += 1;
        if (consecutiveFailures >= failureThreshold) open(at);
        return;
      }
      if (probe?.permit !== permit) return;
      consecutiveFailures += 1;
      openMs = Math.min(maxOpenMs, openMs * 2);
      open(at);
    },

    state() {
      const at = now();
      const snapshot = { openedAt, consecutiveFailures, openMs };
      if (state === 'closed') return { state, nextProbeAt: null, ...snapshot };
      if (state === 'open') {
        // The move to half-open happens on the next `tryAcquire`; report what that call will see.
        const probeAt = (openedAt ?? at) + openMs;
        return { state: at < probeAt ? 'open' : 'half_open', nextProbeAt: probeAt, ...snapshot };
      }
      return { state, nextProbeAt: probe ? probe.leaseEndsAt : at, ...snapshot };
    },
  };
}
