// Before anything imports Dexie (see main.ts).
import 'fake-indexeddb/auto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from './cluster.ts';
import { DEFAULT_TIMEOUTS, type RunConfig, runSchedule } from './run.ts';
import { describeSchedule, generateSchedule, type SaleSpec, type Schedule } from './schedule.ts';

/**
 * The fault simulation in CI: a fixed set of seeds, each a short schedule (3 tills, 30 steps)
 * against the real server process, SQLite file and gateway simulator, then the liveness phase
 * and every invariant check. A failure prints the seed, the violations and the schedule, and
 * the command that replays it; `npm run sim` runs thousands of seeds and shrinks failures.
 */
const TILLS = 3;
const STEPS = 30;
const SEEDS = [1, 7, 17, 23, 42, 101, 2024, 31337];

let gateway: Gateway;
const workDir = join(tmpdir(), 'till-sim');
const config: RunConfig = {
  timeScale: 10,
  livenessBoundMs: 45_000,
  gatewayTimeoutMs: 1_000,
  timeouts: DEFAULT_TIMEOUTS,
  workDir,
  keepData: false,
  log: (line) => console.log(line),
  verbose: false,
};

beforeAll(async () => {
  mkdirSync(workDir, { recursive: true });
  gateway = await startGateway(join(workDir, `gateway-${process.pid}`));
});

afterAll(async () => {
  await gateway?.stop();
});

describe('fault simulation: tills, server and gateway under dropped, duplicated and reordered requests, kills and outages', () => {
  for (const seed of SEEDS) {
    it(`[I1][I2][I3][I4][I5][I7] seed ${seed}: every sale once, every charge once, every card settled, totals reconcile`, async () => {
      const schedule = generateSchedule(seed, { tills: TILLS, steps: STEPS });
      const result = await runSchedule(schedule, gateway, config);
      const report = [
        `seed ${seed} ${result.error ? 'could not run' : `broke ${result.violations.length} checks`} (data: ${result.dataDir})`,
        ...(result.error ? [result.error] : []),
        ...result.violations.map((violation) => `  [${violation.invariant}] ${violation.message}`),
        describeSchedule(schedule),
        `Replay and shrink: npm run sim -- --seed ${seed} --tills ${TILLS} --steps ${STEPS}`,
      ].join('\n');
      expect(result.error, report).toBeNull();
      expect(result.violations, report).toEqual([]);
      // The run did what it is for: sales were made and reached the server.
      expect(result.stats?.sqlSales ?? 0).toBeGreaterThan(0);
    });
  }
});

/** A sale of one catalog line, paid as given. */
function sale(product: number, pay: SaleSpec['pay']): SaleSpec {
  return {
    items: [{ product, qty: 1 }],
    pay,
    cards: ['visa', 'mastercard'],
    firstShare: 400,
    extraCash: 0,
    removeStoredCard: false,
  };
}

describe('fault simulation: a tablet restored from an old backup', () => {
  it('[I3][I2] the server keeps the forked sales, flagged seq_reuse and hash_break; what it had stays, once', async () => {
    const schedule: Schedule = {
      seed: 777,
      tills: 1,
      store: { maxPerPayment: 10_000, maxTotalPerDevice: 50_000, maxAgeMinutes: 24 * 60 },
      batchSize: 2,
      steps: [
        { step: { kind: 'sell', till: 0, tab: 0, sale: sale(1, 'card') }, gapMs: 300 },
        { step: { kind: 'backup', till: 0 }, gapMs: 100 },
        { step: { kind: 'sell', till: 0, tab: 0, sale: sale(2, 'cash') }, gapMs: 100 },
        { step: { kind: 'sell', till: 0, tab: 0, sale: sale(3, 'split') }, gapMs: 800 },
        { step: { kind: 'restore', till: 0 }, gapMs: 100 },
        { step: { kind: 'sell', till: 0, tab: 0, sale: sale(4, 'card') }, gapMs: 100 },
        { step: { kind: 'sell', till: 0, tab: 1, sale: sale(5, 'cash') }, gapMs: 100 },
        { step: { kind: 'sell', till: 0, tab: 0, sale: sale(6, 'two_cards') }, gapMs: 100 },
      ],
    };
    const result = await runSchedule(schedule, gateway, config);
    const report = [
      ...(result.error ? [result.error] : []),
      ...result.violations.map((violation) => `  [${violation.invariant}] ${violation.message}`),
      describeSchedule(schedule),
    ].join('\n');
    expect(result.error, report).toBeNull();
    expect(result.violations, report).toEqual([]);
    // The restore happened and the server saw the fork (the checks above verified each flag).
    expect(result.stats?.tills[0]?.restores).toBe(1);
    expect(result.stats?.flaggedSales ?? 0).toBeGreaterThan(0);
  });
});
