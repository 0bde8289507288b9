import { describe, expect, it } from 'vitest';
import { type Admission, AdmissionController, type AdmissionOptions } from './admission-controller.ts';

/** A controller on a hand-driven clock and timers, so queue timeouts fire only when told. */
function controller(limits: Partial<AdmissionOptions> = {}) {
  const clock = { now: 0 };
  const timers = new Map<number, { at: number; fire: () => void }>();
  let nextTimer = 0;
  let randomValue = 0;
  const admission = new AdmissionController({
    maxConcurrent: 2,
    queueLimit: 2,
    queueTimeoutMs: 500,
    now: () => clock.now,
    random: () => randomValue,
    setTimer: (fire, ms) => {
      nextTimer += 1;
      timers.set(nextTimer, { at: clock.now + ms, fire });
      return nextTimer;
    },
    clearTimer: (handle) => timers.delete(handle as number),
    ...limits,
  });
  return {
    admission,
    /** Moves the clock and fires the timers that are due. */
    advance(ms: number) {
      clock.now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= clock.now) {
          timers.delete(id);
          timer.fire();
        }
      }
    },
    setRandom(value: number) {
      randomValue = value;
    },
    timers,
  };
}

function admitted(admission: Admission) {
  if (admission.kind !== 'admitted') throw new Error(`expected admitted, got ${JSON.stringify(admission)}`);
  return admission.ticket;
}

/** Whether a promise has settled yet (after pending microtasks ran). */
async function settled<T>(promise: Promise<T>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('AdmissionController', () => {
  it('[SCALE-1] admits up to maxConcurrent at once, queues up to queueLimit, sheds the rest with a Retry-After', async () => {
    const { admission } = controller();
    admitted(await admission.admit('a'));
    admitted(await admission.admit('b'));
    const queuedC = admission.admit('c');
    const queuedD = admission.admit('d');
    const shed = await admission.admit('e');
    expect(shed).toMatchObject({ kind: 'shed', reason: 'queue_full', inFlight: 2, queued: 2 });
    expect(shed.kind === 'shed' && shed.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await settled(queuedC)).toBe(false);
    expect(await settled(queuedD)).toBe(false);
    expect(admission.stats()).toMatchObject({ inFlight: 2, queued: 2, admitted: 2, shed: 1, shedQueueFull: 1 });
  });

  it('[SCALE-2] a released slot goes to the oldest waiter, in order', async () => {
    const { admission, advance } = controller({ maxConcurrent: 1 });
    const first = admitted(await admission.admit('a'));
    const second = admission.admit('b');
    const third = admission.admit('c');
    advance(100);
    first.release();
    const b = await second;
    expect(b).toMatchObject({ kind: 'admitted', waitedMs: 100 });
    expect(await settled(third)).toBe(false);
    admitted(b).release();
    expect((await third).kind).toBe('admitted');
    expect(admission.stats()).toMatchObject({ inFlight: 1, queued: 0, admitted: 3, peakQueued: 2, peakInFlight: 1 });
  });

  it('[SCALE-2] a request queued longer than queueTimeoutMs is shed and leaves the queue', async () => {
    const { admission, advance, timers } = controller({ maxConcurrent: 1, queueLimit: 1, queueTimeoutMs: 500 });
    const first = admitted(await admission.admit('a'));
    const waiting = admission.admit('b');
    advance(499);
    expect(await settled(waiting)).toBe(false);
    advance(1);
    expect(await waiting).toMatchObject({ kind: 'shed', reason: 'queue_timeout', queued: 0 });
    expect(timers.size).toBe(0);
    // Its place is free again: the next request queues instead of being shed.
    const next = admission.admit('c');
    first.release();
    expect((await next).kind).toBe('admitted');
    expect(admission.stats()).toMatchObject({ shedQueueTimeout: 1, inFlight: 1 });
  });

  it('[SCALE-3] a device holds at most one place: a second request from it is shed at once, others are not', async () => {
    const { admission } = controller({ maxConcurrent: 4 });
    const first = admitted(await admission.admit('a'));
    expect(await admission.admit('a')).toMatchObject({ kind: 'shed', reason: 'device_busy', retryAfterSeconds: 1 });
    admitted(await admission.admit('b'));
    first.release();
    admitted(await admission.admit('a'));
    expect(admission.stats()).toMatchObject({ shedDeviceBusy: 1, admitted: 3 });
  });

  it('[SCALE-3] a device waiting in the queue also holds its one place', async () => {
    const { admission } = controller({ maxConcurrent: 1 });
    admitted(await admission.admit('a'));
    const queued = admission.admit('b');
    expect(await admission.admit('b')).toMatchObject({ kind: 'shed', reason: 'device_busy' });
    expect(await settled(queued)).toBe(false);
  });

  it('[SCALE-2] a waiter whose client goes away leaves the queue and holds nothing', async () => {
    const { admission, timers } = controller({ maxConcurrent: 1 });
    const first = admitted(await admission.admit('a'));
    const gone = new AbortController();
    const waiting = admission.admit('b', gone.signal);
    gone.abort();
    expect(await waiting).toEqual({ kind: 'abandoned' });
    expect(timers.size).toBe(0);
    first.release();
    expect(admission.stats()).toMatchObject({ inFlight: 0, queued: 0, abandoned: 1 });
    admitted(await admission.admit('b'));
  });

  it('[SCALE-1] releasing a ticket twice frees one slot only', async () => {
    const { admission } = controller({ maxConcurrent: 1, queueLimit: 0 });
    const ticket = admitted(await admission.admit('a'));
    ticket.release();
    ticket.release();
    admitted(await admission.admit('b'));
    expect(await admission.admit('c')).toMatchObject({ kind: 'shed', reason: 'queue_full' });
    expect(admission.stats().inFlight).toBe(1);
  });

  it('[SCALE-4] Retry-After spreads the devices waiting outside over the time the server needs for them', async () => {
    const { admission, advance, setRandom } = controller({ maxConcurrent: 2, queueLimit: 0 });
    // Teach it a service time of 1 s per request (a moving average: it takes a few).
    for (let request = 0; request < 20; request += 1) {
      const ticket = admitted(await admission.admit('x'));
      advance(1000);
      ticket.release();
    }
    const a = admitted(await admission.admit('a'));
    admitted(await admission.admit('b'));
    // 40 devices shed: about 40 × 1 s / 2 slots = 20 s of work waits outside.
    const answers: number[] = [];
    for (let device = 0; device < 40; device += 1) {
      setRandom(device / 40);
      const shed = await admission.admit(`d${device}`);
      if (shed.kind !== 'shed') throw new Error('expected shed');
      answers.push(shed.retryAfterSeconds);
    }
    expect(Math.min(...answers)).toBe(1);
    // The last ones see the most devices waiting: their horizon is ~20 s.
    expect(Math.max(...answers)).toBeGreaterThanOrEqual(15);
    expect(new Set(answers).size).toBeGreaterThan(10);
    expect(admission.stats()).toMatchObject({ waitingDevices: 40, serviceMs: expect.any(Number) });
    // A shed device that is admitted later no longer counts as waiting.
    a.release();
    admitted(await admission.admit('d0'));
    expect(admission.stats().waitingDevices).toBe(39);
    // After a minute without news, nobody is assumed to be waiting any more.
    advance(61_000);
    expect(admission.stats().waitingDevices).toBe(0);
  });

  it('[SCALE-4] Retry-After is at least 1 s and at most the cap', async () => {
    const { admission, advance, setRandom } = controller({ maxConcurrent: 1, queueLimit: 0, maxRetryAfterSeconds: 30 });
    const slow = admitted(await admission.admit('slow'));
    advance(600_000);
    slow.release();
    admitted(await admission.admit('a'));
    setRandom(0.999);
    for (let device = 0; device < 5; device += 1) {
      const shed = await admission.admit(`d${device}`);
      expect(shed.kind === 'shed' && shed.retryAfterSeconds).toBeLessThanOrEqual(30);
    }
    setRandom(0);
    const shed = await admission.admit('d9');
    expect(shed.kind === 'shed' && shed.retryAfterSeconds).toBe(1);
  });

  it('refuses limits that make no sense', () => {
    expect(() => new AdmissionController({ maxConcurrent: 0, queueLimit: 0, queueTimeoutMs: 10 })).toThrow(RangeError);
    expect(() => new AdmissionController({ maxConcurrent: 1, queueLimit: -1, queueTimeoutMs: 10 })).toThrow(RangeError);
  });
});
