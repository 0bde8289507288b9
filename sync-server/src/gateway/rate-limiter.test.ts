import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

function clock(start = 5_000_000) {
  const state = { now: start };
  return {
    now: () => state.now,
    advance: (ms: number) => {
      state.now += ms;
    },
  };
}

describe('rate limiter', () => {
  it('spaces calls at L per second: queued callers get 0, 1/L, 2/L … seconds', () => {
    const time = clock();
    const limiter = createRateLimiter({ now: time.now, ratePerSecond: 4 });
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual([0, 250, 500, 750]);
  });

  it('over a long run the admitted rate is L per second, whatever the arrival pattern', () => {
    const time = clock();
    const limiter = createRateLimiter({ now: time.now, ratePerSecond: 5, burst: 3 });
    const sentAt: number[] = [];
    for (let call = 0; call < 100; call += 1) {
      sentAt.push(time.now() + limiter.take());
      time.advance(call % 7 === 0 ? 400 : 13);
    }
    // A token bucket's promise: any n consecutive calls span at least (n - burst) intervals.
    for (let first = 0; first < sentAt.length; first += 1) {
      for (let last = first + 1; last < sentAt.length; last += 1) {
        const calls = last - first + 1;
        expect((sentAt[last] ?? 0) - (sentAt[first] ?? 0)).toBeGreaterThanOrEqual((calls - 3) * 200 - 1);
      }
    }
    expect((sentAt.at(-1) ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(97 * 200 - 1);
  });

  it('a burst goes at once after a quiet spell, then calls are spaced; tokens refill with time', () => {
    const time = clock();
    const limiter = createRateLimiter({ now: time.now, ratePerSecond: 2, burst: 3 });
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual([0, 0, 0, 500]);
    time.advance(2000);
    expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([0, 0, 0]);
  });

  it('peek tells the wait without reserving a slot', () => {
    const time = clock();
    const limiter = createRateLimiter({ now: time.now, ratePerSecond: 1 });
    limiter.take();
    expect(limiter.peek()).toBe(1000);
    expect(limiter.peek()).toBe(1000);
    expect(limiter.take()).toBe(1000);
  });

  it('Retry-After pauses every caller until then; afterwards calls resume spaced, with no burst', () => {
    const time = clock();
    const limiter = createRateLimiter({ now: time.now, ratePerSecond: 10, burst: 5 });
    limiter.pauseUntil(time.now() + 3000);
    expect(limiter.state()).toMatchObject({ pausedUntil: time.now() + 3000, waitMs: 3000 });
    expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([3000, 3100, 3200]);
    time.advance(10_000);
    expect(limiter.state().pausedUntil).toBeNull();
    // An earlier pause never shortens a later one.
    limiter.pauseUntil(time.now() + 2000);
    limiter.pauseUntil(time.now() + 500);
    expect(limiter.take()).toBe(2000);
  });

  it('refuses a non-positive rate', () => {
    expect(() => createRateLimiter({ now: Date.now, ratePerSecond: 0 })).toThrow(RangeError);
  });
});
