import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, planRetry, type RetryCause } from './backoff.ts';

const HIGHEST = () => 0.999_999;
const SHED_2S: RetryCause = { shed: true, retryAfterMs: 2_000 };
const SERVER_ERROR: RetryCause = { shed: false, retryAfterMs: null };

/** Plans `causes` one after another from a fresh till, as the engine does between successes. */
function run(causes: readonly RetryCause[], random: () => number, escalations = 0): number[] {
  const delays: number[] = [];
  for (const cause of causes) {
    const plan = planRetry(escalations, cause, random);
    escalations = plan.escalations;
    delays.push(plan.delayMs);
  }
  return delays;
}

/** A small seeded generator (mulberry32), so a failing draw can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('sync backoff', () => {
  it('[SYNC-10][SCALE-4] a run of 429s with Retry-After: 2 waits Retry-After plus under 1 s, never more', () => {
    const delays = run(
      Array.from({ length: 20 }, () => SHED_2S),
      HIGHEST,
    );
    expect(delays).toEqual(Array.from({ length: 20 }, () => 2_999));
    expect(planRetry(0, SHED_2S, HIGHEST).escalations).toBe(0);
  });

  it('[SYNC-10][SCALE-4] after 5xx have grown the window, a paced 429 still waits less than 2 × Retry-After', () => {
    const seed = 20_251_101;
    const random = seeded(seed);
    for (let escalations = 0; escalations <= 40; escalations++) {
      const plan = planRetry(escalations, SHED_2S, random);
      expect(plan.delayMs, `seed ${seed}, escalations ${escalations}`).toBeGreaterThanOrEqual(2_000);
      expect(plan.delayMs, `seed ${seed}, escalations ${escalations}`).toBeLessThan(4_000);
      expect(plan.escalations).toBe(escalations);
    }
    expect(planRetry(6, SHED_2S, HIGHEST).delayMs).toBe(3_999);
  });

  it('[SYNC-10] 5xx, timeouts and network failures escalate with full jitter up to the cap', () => {
    expect(
      run(
        Array.from({ length: 8 }, () => SERVER_ERROR),
        HIGHEST,
      ),
    ).toEqual([999, 1_999, 3_999, 7_999, 15_999, 31_999, 59_999, 59_999]);
    expect(run([SERVER_ERROR, SERVER_ERROR], () => 0)).toEqual([0, 0]);
    expect(planRetry(3, SERVER_ERROR, HIGHEST).escalations).toBe(4);
  });

  it('[SYNC-10] a 503 with Retry-After escalates too, Retry-After as its floor', () => {
    const unavailable: RetryCause = { shed: false, retryAfterMs: 5_000 };
    expect(run([unavailable, unavailable, unavailable, unavailable], HIGHEST)).toEqual([5_000, 5_000, 5_000, 7_999]);
    expect(planRetry(3, unavailable, HIGHEST).escalations).toBe(4);
  });

  it('[SYNC-10] a 429 without a usable Retry-After (absent or 0) says nothing about when: it escalates', () => {
    expect(
      run(
        [
          { shed: true, retryAfterMs: null },
          { shed: true, retryAfterMs: 0 },
        ],
        HIGHEST,
      ),
    ).toEqual([999, 1_999]);
  });

  it('[SYNC-10] paced 429s between 5xx leave the window where the 5xx put it', () => {
    const delays = run([SERVER_ERROR, SERVER_ERROR, SHED_2S, SHED_2S, SERVER_ERROR], HIGHEST);
    expect(delays).toEqual([999, 1_999, 3_999, 3_999, 3_999]);
  });

  it('[SYNC-10] backoffDelay is full jitter: uniform in [0, min(cap, base × 2^(n−1)))', () => {
    expect(backoffDelay(1, () => 0.5)).toBe(500);
    expect(backoffDelay(40, HIGHEST)).toBe(DEFAULT_BACKOFF.capMs - 1);
    expect(backoffDelay(1, () => 0.5, DEFAULT_BACKOFF, 2_000)).toBe(2_000);
  });
});
