/**
 * The faults the simulator can play, set over its control port. One setting at a time; each
 * POST replaces the whole setting. `latencyMs` and `ratePerSecond` apply in ANY mode where they
 * are given (so `{ mode: 'commit_then_drop', latencyMs: 300 }` is a slow gateway that drops, and
 * `{ mode: 'up', ratePerSecond: 5 }` is a healthy but rate-limited one); `slow` and
 * `rate_limited` only give them defaults.
 */
export const FAULT_MODES = ['up', 'down', 'failing', 'slow', 'rate_limited', 'commit_then_drop'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSettings {
  mode: FaultMode;
  /** Added before answering each API request. */
  latencyMs: number;
  /** Token bucket refill rate; null = no rate limit. */
  ratePerSecond: number | null;
  /** Bucket size; defaults to max(1, ratePerSecond). */
  burst: number | null;
  /** Fixed `Retry-After` for 429s; null = seconds until the next token (at least 1). */
  retryAfterSeconds: number | null;
}

export const HEALTHY: FaultSettings = {
  mode: 'up',
  latencyMs: 0,
  ratePerSecond: null,
  burst: null,
  retryAfterSeconds: null,
};

const DEFAULT_SLOW_MS = 2000;
const DEFAULT_RATE = 1;

/** Reads a control request body; returns the settings or a message saying what is wrong. */
export function parseFaultSettings(body: unknown): FaultSettings | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const input = body as Record<string, unknown>;
  const unknownKeys = Object.keys(input).filter((key) => !FAULT_FIELDS.includes(key));
  if (unknownKeys.length > 0) return `unknown fields: ${unknownKeys.join(', ')}`;
  const mode = input.mode;
  if (typeof mode !== 'string' || !isFaultMode(mode)) return `mode must be one of ${FAULT_MODES.join(', ')}`;
  try {
    const retryAfterSeconds = optionalNumber(input, 'retryAfterSeconds', 0);
    return {
      mode,
      latencyMs: optionalNumber(input, 'latencyMs', 0) ?? (mode === 'slow' ? DEFAULT_SLOW_MS : 0),
      ratePerSecond: optionalNumber(input, 'ratePerSecond', 0.001) ?? (mode === 'rate_limited' ? DEFAULT_RATE : null),
      burst: optionalNumber(input, 'burst', 1),
      retryAfterSeconds: retryAfterSeconds === null ? null : Math.ceil(retryAfterSeconds),
    };
  } catch (error) {
    if (error instanceof FaultInputError) return error.message;
    throw error;
  }
}

const FAULT_FIELDS = ['mode', 'latencyMs', 'ratePerSecond', 'burst', 'retryAfterSeconds'];

class FaultInputError extends Error {}

function isFaultMode(mode: string): mode is FaultMode {
  return (FAULT_MODES as readonly string[]).includes(mode);
}

function optionalNumber(input: Record<string, unknown>, name: string, min: number): number | null {
  const value = input[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new FaultInputError(`${name} must be a number >= ${min}`);
  }
  return value;
}

/** A token bucket on an injected clock: admits a request or says how long until it would. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;

  constructor(
    private readonly ratePerSecond: number,
    burst: number | null,
    private readonly now: () => number,
  ) {
    this.capacity = burst ?? Math.max(1, ratePerSecond);
    this.tokens = this.capacity;
    this.updatedAt = now();
  }

  /** `0` when admitted, else milliseconds until a token will be there. */
  admit(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }
}
