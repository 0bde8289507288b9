import { setTimeout as delay } from 'node:timers/promises';

/**
 * Simulated time, shared by the tills (in this process) and the sync server (its own process):
 * `epochMs + (wall clock − realZeroMs) × scale`. With `scale` 10, one real second is ten
 * simulated seconds everywhere at once: the server's circuit breaker (5 s open), its capture
 * backoff and leases, the tills' sync backoff and their gateway monitor windows all run ten
 * times faster, so a run that lives through a gateway outage takes seconds, not minutes.
 *
 * Both processes compute it from the same wall clock and the same three numbers, so the clock
 * carries on unbroken across a server kill and restart. What it does NOT scale: real timeouts
 * on sockets (the till's request timeouts, the server's gateway call timeout, the gateway
 * simulator's latency), which are set in real milliseconds by the cluster.
 */
export interface ClockSpec {
  epochMs: number;
  realZeroMs: number;
  scale: number;
}

export class SimClock {
  constructor(readonly spec: ClockSpec) {}

  static starting(scale: number): SimClock {
    const now = Date.now();
    return new SimClock({ epochMs: now, realZeroMs: now, scale });
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.spec.epochMs + (Date.now() - this.spec.realZeroMs) * this.spec.scale;
  }

  /** Real milliseconds for a simulated duration. */
  toReal(simMs: number): number {
    return simMs / this.spec.scale;
  }

  /** Waits a simulated duration; an abort ends the wait early, never with an error. */
  async sleep(simMs: number, signal?: AbortSignal): Promise<void> {
    await realSleep(this.toReal(simMs), signal);
  }

  /** The environment a server process needs to run on this clock (read by `server-process.ts`). */
  env(): Record<string, string> {
    return {
      SIM_CLOCK_EPOCH_MS: String(this.spec.epochMs),
      SIM_CLOCK_REAL_ZERO_MS: String(this.spec.realZeroMs),
      SIM_TIME_SCALE: String(this.spec.scale),
    };
  }

  static fromEnv(env: Record<string, string | undefined>): SimClock {
    const number = (name: string): number => {
      const value = Number(env[name]);
      if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${env[name]}`);
      return value;
    };
    return new SimClock({
      epochMs: number('SIM_CLOCK_EPOCH_MS'),
      realZeroMs: number('SIM_CLOCK_REAL_ZERO_MS'),
      scale: number('SIM_TIME_SCALE'),
    });
  }
}

/** Real-time sleep; an abort (wake-up, stop) ends it early without throwing. */
export async function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  }
}
