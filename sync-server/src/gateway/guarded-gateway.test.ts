import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { guardedGateway } from './guarded-gateway.ts';
import { type CaptureOutcome, type CaptureRequest, GatewayError, type PaymentGateway } from './payment-gateway.ts';
import { createRateLimiter } from './rate-limiter.ts';

type Script = CaptureOutcome | GatewayError;

/** A gateway that answers from a script and records when it was called, on the test clock. */
function scriptedGateway(time: { now(): number }, script: Script[]) {
  const calls: number[] = [];
  const gateway: PaymentGateway = {
    capture: async () => {
      calls.push(time.now());
      const next = script.shift();
      if (next === undefined) return { status: 'captured', gatewayRef: `pi_${calls.length}` };
      if (next instanceof GatewayError) throw next;
      return next;
    },
    lookup: async () => {
      calls.push(time.now());
      return null;
    },
  };
  return { gateway, calls };
}

function setup(script: Script[] = [], options: { ratePerSecond?: number; maxWaitMs?: number } = {}) {
  const state = { now: 10_000_000 };
  const time = { now: () => state.now };
  const sleeps: number[] = [];
  const breaker = createCircuitBreaker({ now: time.now, failureThreshold: 2, openMs: 5000 });
  const limiter = createRateLimiter({ now: time.now, ratePerSecond: options.ratePerSecond ?? 100 });
  const { gateway, calls } = scriptedGateway(time, script);
  const guarded = guardedGateway(gateway, {
    breaker,
    limiter,
    now: time.now,
    // Virtual time: a sleeper wakes at its own deadline (callers queued in one tick all see the
    // same start time, as with real timers); the clock never moves backwards.
    sleep: async (ms) => {
      sleeps.push(ms);
      const wakeAt = state.now + ms;
      await Promise.resolve();
      state.now = Math.max(state.now, wakeAt);
    },
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
  });
  return {
    guarded,
    breaker,
    limiter,
    calls,
    sleeps,
    advance: (ms: number) => {
      state.now += ms;
    },
  };
}

const payment: CaptureRequest = {
  paymentId: '0190f0e0-0000-7000-8000-00000000000a',
  amount: 100,
  currency: 'USD',
  gatewayToken: 'pm_card_visa',
  reference: 'R-1',
};
const refused = () => GatewayError.of('connection_refused', 'down');

async function failureOf(call: Promise<unknown>): Promise<GatewayError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('guarded gateway', () => {
  it('opens after consecutive outages and then fails fast with circuit_open, without calling the gateway', async () => {
    const { guarded, calls, breaker } = setup([refused(), refused()]);
    await failureOf(guarded.capture(payment));
    await failureOf(guarded.capture(payment));
    expect(breaker.state().state).toBe('open');
    const error = await failureOf(guarded.capture(payment));
    expect(error).toMatchObject({ kind: 'retryable', code: 'circuit_open', retryAfterMs: 5000 });
    await failureOf(guarded.lookup(payment.paymentId));
    expect(calls).toHaveLength(2);
  });

  it('half-open sends one probe; its success closes the circuit and calls flow again', async () => {
    const { guarded, calls, breaker, advance } = setup([refused(), refused()]);
    await failureOf(guarded.capture(payment));
    await failureOf(guarded.capture(payment));
    advance(5000);
    expect(await guarded.capture(payment)).toMatchObject({ status: 'captured' });
    expect(breaker.state().state).toBe('closed');
    expect(await guarded.capture(payment)).toMatchObject({ status: 'captured' });
    expect(calls).toHaveLength(4);
  });

  it('declines, 4xx and 429 are the gateway answering: they never open the circuit', async () => {
    const declined: CaptureOutcome = { status: 'declined', declineCode: 'lost_card', message: 'no', gatewayRef: null };
    const { guarded, breaker } = setup([
      declined,
      GatewayError.of('invalid_request', 'bad'),
      GatewayError.of('rate_limited', 'slow', { retryAfterMs: 10 }),
      declined,
      GatewayError.of('idempotency_conflict', 'other params'),
    ]);
    await guarded.capture(payment);
    await failureOf(guarded.capture(payment));
    await failureOf(guarded.capture(payment));
    await guarded.capture(payment);
    await failureOf(guarded.capture(payment));
    expect(breaker.state()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('spaces calls at the configured rate by sleeping before each call', async () => {
    const { guarded, calls, sleeps } = setup([], { ratePerSecond: 2 });
    await Promise.all([guarded.capture(payment), guarded.capture(payment), guarded.capture(payment)]);
    // Three callers queued at once: the first goes now, the others wait for their own slots.
    expect(sleeps).toEqual([500, 1000]);
    expect(calls).toHaveLength(3);
  });

  it("a 429's Retry-After pauses every caller until then", async () => {
    const { guarded, calls } = setup([GatewayError.of('rate_limited', 'slow down', { retryAfterMs: 3000 })]);
    await failureOf(guarded.capture(payment));
    await guarded.capture(payment);
    await guarded.lookup(payment.paymentId);
    expect((calls[1] ?? 0) - (calls[0] ?? 0)).toBe(3000);
    expect((calls[2] ?? 0) - (calls[1] ?? 0)).toBe(10);
  });

  it('a caller that would queue longer than maxWaitMs is refused at once as rate_limited, and reserves nothing', async () => {
    const { guarded, limiter, calls } = setup(
      [GatewayError.of('rate_limited', 'slow down', { retryAfterMs: 60_000 })],
      {
        maxWaitMs: 5000,
      },
    );
    await failureOf(guarded.capture(payment));
    const before = limiter.peek();
    const error = await failureOf(guarded.capture(payment));
    expect(error).toMatchObject({ kind: 'retryable', code: 'rate_limited', retryAfterMs: 60_000 });
    expect(limiter.peek()).toBe(before);
    expect(calls).toHaveLength(1);
  });
});
