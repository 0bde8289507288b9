import { describe, expect, it } from 'vitest';
import { type CircuitPermit, createCircuitBreaker } from './circuit-breaker.ts';

function clock(start = 1_000_000) {
  const state = { now: start };
  return {
    now: () => state.now,
    advance: (ms: number) => {
      state.now += ms;
    },
  };
}

function acquire(breaker: ReturnType<typeof createCircuitBreaker>): CircuitPermit {
  const decision = breaker.tryAcquire();
  if (!decision.allowed) throw new Error(`refused, retry in ${decision.retryAfterMs} ms`);
  return decision.permit;
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures; a success in between resets the count', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ now: time.now, failureThreshold: 3, openMs: 1000 });
    breaker.recordFailure(acquire(breaker));
    breaker.recordFailure(acquire(breaker));
    breaker.recordSuccess(acquire(breaker));
    breaker.recordFailure(acquire(breaker));
    breaker.recordFailure(acquire(breaker));
    expect(breaker.state()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    breaker.recordFailure(acquire(breaker));
    expect(breaker.state()).toEqual({
      state: 'open',
      openedAt: time.now(),
      consecutiveFailures: 3,
      nextProbeAt: time.now() + 1000,
      openMs: 1000,
    });
  });

  it('while open it refuses every call with the time left until the probe', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ now: time.now, failureThreshold: 1, openMs: 1000 });
    breaker.recordFailure(acquire(breaker));
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 1000 });
    time.advance(600);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 400 });
  });

  it('half-open lets exactly one probe through; its success closes the circuit', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ now: time.now, failureThreshold: 1, openMs: 1000, probeLeaseMs: 5000 });
    breaker.recordFailure(acquire(breaker));
    time.advance(1000);
    expect(breaker.state().state).toBe('half_open');
    const probe = acquire(breaker);
    expect(probe.probe).toBe(true);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 5000 });
    breaker.recordSuccess(probe);
    expect(breaker.state()).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: null,
      nextProbeAt: null,
    });
    expect(acquire(breaker).probe).toBe(false);
  });

  it('a failed probe reopens for twice as long, growing up to the cap; a success resets it', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ now: time.now, failureThreshold: 1, openMs: 1000, maxOpenMs: 3000 });
    breaker.recordFailure(acquire(breaker));
    const openPeriods: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      time.advance(breaker.state().openMs);
      breaker.recordFailure(acquire(breaker));
      openPeriods.push(breaker.state().openMs);
      expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: breaker.state().openMs });
    }
    expect(openPeriods).toEqual([2000, 3000, 3000]);
    time.advance(3000);
    breaker.recordSuccess(acquire(breaker));
    breaker.recordFailure(acquire(breaker));
    expect(breaker.state()).toMatchObject({ state: 'open', openMs: 1000 });
  });

  it('a probe that never reports back frees the slot after its lease', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ now: time.now, failureThreshold: 1, openMs: 1000, probeLeaseMs: 2000 });
    breaker.recordFailure(acquire(breaker));
    time.advance(1000);
    const lost = acquire(breaker);
    time.advance(2000);
    const second = acquire(breaker);
    expect(second.probe).toBe(true);
    // The lost probe's late word no longer counts; the current probe's does.
    breaker.recordSuccess(lost);
    expect(breaker.state().state).toBe('half_open');
    breaker.recordSuccess(second);
    expect(breaker.state().state).toBe('closed');
  });

  it('a call that started before the circuit opened does not close it by succeeding late', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ now: time.now, failureThreshold: 1, openMs: 1000 });
    const slow = acquire(breaker);
    breaker.recordFailure(acquire(breaker));
    breaker.recordSuccess(slow);
    expect(breaker.state().state).toBe('open');
  });
});
