import { describe, expect, it } from 'vitest';
import { DEFAULT_STORM, runStorm } from '../../scripts/storm/run-storm.ts';

/**
 * A CI-sized reconnect storm (scripts/storm): the real server and gateway simulator processes,
 * 20 tills running the till's own sync engine, each with 50 unsent sales, released at once
 * against a server squeezed to one push at a time so that it must shed. The full-size run is
 * `npm run storm`.
 */
describe('reconnect storm (small)', () => {
  it('[SCALE-1][I2][I5] 20 tills × 50 sales at once: only 200s and 429s, every sale stored once, every card captured', async () => {
    const lines: string[] = [];
    const result = await runStorm({
      ...DEFAULT_STORM,
      tills: 20,
      salesPerTill: 50,
      batchSize: 25,
      maxSeconds: 60,
      serverEnv: { MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '2', PUSH_QUEUE_TIMEOUT_MS: '1000' },
      log: (line) => lines.push(line),
    });
    const { pushes } = result.ingest;
    const context = JSON.stringify({ pushes, problems: result.problems, checks: result.verification?.checks, lines });
    expect(result.timedOut, context).toBe(false);
    expect(pushes.serverErrors5xx, context).toBe(0);
    expect(pushes.timeouts, context).toBe(0);
    expect(pushes.networkErrors, context).toBe(0);
    expect(pushes.clientErrors4xx, context).toBe(0);
    // The server was over capacity and said so: the tills were shed and came back.
    expect(pushes.shed429, context).toBeGreaterThan(0);
    expect(pushes.ok, context).toBe(20 * 2);
    expect(result.ingest.tillsWithUnsentSales).toBe(0);
    expect(result.server.stayedUp).toBe(true);
    expect(result.verification?.checks).toEqual({
      everySaleStored: true,
      everySaleOnce: true,
      everyDeviceChainComplete: true,
      nothingFlagged: true,
      everyCardPaymentQueued: true,
      everyCardPaymentCaptured: true,
      gatewayOneChargePerPayment: true,
    });
    expect(result.verification).toMatchObject({ sales: 1000, distinctSales: 1000, payments: 20 * 16 });
    expect(result.captures.captured).toBe(20 * 16);
    expect(result.pass).toBe(true);
  }, 90_000);
});
