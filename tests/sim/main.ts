/**
 * The fault simulation's command line: `npm run sim -- [options]` (see tests/sim/README.md).
 *
 *   npm run sim -- --seed 17                 one run (the seed names its schedule)
 *   npm run sim -- --from-seed 100000 --runs 300   a long run over seeds 100000…100299
 *   npm run sim -- --replay test-results/sim/seed-17.json   replay a saved (shrunk) schedule
 *
 * Exit code 0 when every run kept every invariant, 1 on any violation, 2 on a harness error.
 */
// Before anything imports Dexie: it takes IndexedDB globals at load time (each till still gets
// its own factory, see till/browser.ts).
import 'fake-indexeddb/auto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Gateway, startGateway } from './cluster.ts';
import { DEFAULT_TIMEOUTS, type RunConfig, type RunResult, runSchedule } from './run.ts';
import { describeSchedule, generateSchedule, type Schedule } from './schedule.ts';
import { shrinkSchedule } from './shrink.ts';

const USAGE = `Usage: npm run sim -- [options]
  --seed N          first seed (default 1); alias --from-seed N
  --runs R          how many seeds, N, N+1, … (default 1)
  --tills T         tills per run (default 3)
  --steps S         schedule steps per run (default 40)
  --replay X        replay a saved schedule file (test-results/sim/seed-N.json) or a seed
  --time-scale K    simulated ms per real ms (default 10)
  --liveness-ms M   real ms the system gets to settle with faults off (default 60000)
  --shrink-runs N   runs to spend shrinking a failure (default 40; 0: do not shrink)
  --jobs J          runs at once, each with its own server and gateway (default 1)
  --keep            keep every run's data directory (SQLite file, server log)
  --verbose         print each step and phase as it happens`;

interface Options {
  seeds: number[];
  replay: Schedule | null;
  tills: number;
  steps: number;
  shrinkRuns: number;
  jobs: number;
  config: RunConfig;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      'from-seed': { type: 'string' },
      runs: { type: 'string', default: '1' },
      tills: { type: 'string', default: '3' },
      steps: { type: 'string', default: '40' },
      replay: { type: 'string' },
      'time-scale': { type: 'string', default: '10' },
      'liveness-ms': { type: 'string', default: '60000' },
      'shrink-runs': { type: 'string', default: '40' },
      jobs: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, text: string | undefined, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${text}`);
    return value;
  };
  const first = int('seed', values.seed ?? values['from-seed'] ?? '1', 0);
  const runs = int('runs', values.runs, 1);
  let replay: Schedule | null = null;
  if (values.replay !== undefined) {
    if (existsSync(values.replay)) {
      replay = (JSON.parse(readFileSync(values.replay, 'utf8')) as { schedule: Schedule }).schedule;
    } else {
      const seed = int('replay', values.replay, 0);
      replay = generateSchedule(seed, { tills: int('tills', values.tills, 1), steps: int('steps', values.steps, 0) });
    }
  }
  const workDir = join(tmpdir(), 'till-sim');
  mkdirSync(workDir, { recursive: true });
  return {
    seeds: Array.from({ length: runs }, (_, i) => first + i),
    replay,
    tills: int('tills', values.tills, 1),
    steps: int('steps', values.steps, 0),
    shrinkRuns: int('shrink-runs', values['shrink-runs'], 0),
    jobs: int('jobs', values.jobs, 1),
    config: {
      timeScale: int('time-scale', values['time-scale'], 1),
      livenessBoundMs: int('liveness-ms', values['liveness-ms'], 1_000),
      gatewayTimeoutMs: 1_000,
      timeouts: DEFAULT_TIMEOUTS,
      workDir,
      keepData: values.keep,
      log: (line) => console.log(line),
      verbose: values.verbose,
    },
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  // One gateway simulator per job: each run resets its gateway's ledger and checks it.
  const gateways = await Promise.all(
    Array.from({ length: options.jobs }, (_, job) =>
      startGateway(join(options.config.workDir, `gateway-${process.pid}-${job}`)),
    ),
  );
  const started = performance.now();
  const results: RunResult[] = [];
  try {
    const schedules = options.replay
      ? [options.replay]
      : options.seeds.map((seed) => generateSchedule(seed, { tills: options.tills, steps: options.steps }));
    const failures: Array<{ schedule: Schedule; result: RunResult }> = [];
    let next = 0;
    await Promise.all(
      gateways.map(async (gateway) => {
        for (let index = next++; index < schedules.length; index = next++) {
          const schedule = schedules[index] as Schedule;
          const result = await runSchedule(schedule, gateway, options.config);
          results.push(result);
          console.log(summaryLine(result));
          if (result.error !== null) console.log(`  harness error: ${result.error}\n  data: ${result.dataDir}`);
          if (result.violations.length > 0) failures.push({ schedule, result });
        }
      }),
    );
    // Shrinking runs one failure at a time, alone, so its runs see the machine as the first did.
    for (const failure of failures)
      await reportFailure(failure.schedule, failure.result, gateways[0] as Gateway, options);
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
  }
  results.sort((a, b) => a.seed - b.seed);
  printTable(results, performance.now() - started);
  if (results.some((result) => result.violations.length > 0)) return 1;
  return results.some((result) => result.error !== null) ? 2 : 0;
}

async function reportFailure(schedule: Schedule, result: RunResult, gateway: Gateway, options: Options): Promise<void> {
  console.log(`\nFAILED seed ${schedule.seed} (data: ${result.dataDir})`);
  for (const violation of result.violations.slice(0, 20))
    console.log(`  [${violation.invariant}] ${violation.message}`);
  if (result.violations.length > 20) console.log(`  … ${result.violations.length - 20} more`);
  let minimal = { schedule, result };
  if (options.shrinkRuns > 0 && schedule.steps.length > 1) {
    console.log(`shrinking (at most ${options.shrinkRuns} runs)…`);
    const shrunk = await shrinkSchedule(
      { schedule, result },
      (candidate) => runSchedule(candidate, gateway, { ...options.config, verbose: false }),
      { runs: options.shrinkRuns, ms: 10 * 60_000 },
      (line) => console.log(line),
    );
    minimal = { schedule: shrunk.schedule, result: shrunk.result };
    console.log(`shrunk to ${shrunk.schedule.steps.length} of ${schedule.steps.length} steps in ${shrunk.runs} runs`);
  }
  const dir = resolve('test-results', 'sim');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `seed-${schedule.seed}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ seed: schedule.seed, violations: minimal.result.violations, schedule: minimal.schedule }, null, 2)}\n`,
  );
  console.log(`\nShortest failing schedule (${minimal.result.violations.length} violations):`);
  for (const violation of minimal.result.violations.slice(0, 10))
    console.log(`  [${violation.invariant}] ${violation.message}`);
  console.log(describeSchedule(minimal.schedule));
  console.log(
    `\nReplay: npm run sim -- --replay ${file}      (the whole schedule: npm run sim -- --seed ${schedule.seed})\n`,
  );
}

function summaryLine(result: RunResult): string {
  const stats = result.stats;
  const verdict = result.error !== null ? 'ERROR' : result.violations.length > 0 ? 'FAIL' : 'ok';
  if (!stats) return `seed ${result.seed}: ${verdict} in ${(result.durationMs / 1000).toFixed(1)}s`;
  const cards = stats.tills.reduce(
    (sum, till) => {
      for (const [kind, count] of Object.entries(till.cardResults)) sum[kind] = (sum[kind] ?? 0) + count;
      return sum;
    },
    {} as Record<string, number>,
  );
  const sales = stats.tills.reduce((sum, till) => sum + till.sales, 0);
  const interrupted = stats.tills.reduce((sum, till) => sum + till.interrupted, 0);
  return [
    `seed ${result.seed}: ${verdict.padEnd(5)}`,
    `${(result.durationMs / 1000).toFixed(1)}s (settled in ${(result.livenessMs / 1000).toFixed(1)}s)`,
    `sales ${sales} (${interrupted} interrupted)`,
    `cards ${cards.captured ?? 0} live/${cards.stored ?? 0} stored/${cards.declined ?? 0} declined/${cards.over_limit ?? 0} over limit/${cards.failed ?? 0} refused`,
    `kills ${stats.cluster.kills}`,
    `restores ${stats.tills.reduce((sum, till) => sum + till.restores, 0)}`,
    `proxy ${stats.proxy.requests} req`,
    `payments ${JSON.stringify(stats.payments)}`,
    `flagged ${stats.flaggedSales}`,
  ].join(' · ');
}

function merge(counts: Array<Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const count of counts) for (const [key, n] of Object.entries(count)) merged[key] = (merged[key] ?? 0) + n;
  return merged;
}

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '' : `(${entries.map(([key, n]) => `${key} ${n}`).join(', ')})`;
}

/** Faults the till proxy played, per route: what the invariants were tested against. */
function faultRows(results: RunResult[]): Array<[string, string]> {
  const routes = new Map<string, Array<Record<string, number>>>();
  for (const result of results) {
    for (const [route, counts] of Object.entries(result.stats?.proxy.faultsByRoute ?? {})) {
      routes.set(route, [...(routes.get(route) ?? []), counts as Record<string, number>]);
    }
  }
  return [...routes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, counts]) => [`  faults on ${route}`, describeCounts(merge(counts)).slice(1, -1)]);
}

function printTable(results: RunResult[], elapsedMs: number): void {
  const count = (predicate: (result: RunResult) => boolean) => results.filter(predicate).length;
  const passed = count((result) => result.error === null && result.violations.length === 0);
  const failed = results.filter((result) => result.violations.length > 0);
  const errors = results.filter((result) => result.error !== null);
  const sum = (pick: (result: RunResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  const durations = results.map((result) => result.durationMs).sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)] ?? 0;
  const byInvariant = new Map<string, number>();
  for (const result of failed) {
    for (const id of new Set(result.violations.map((violation) => violation.invariant))) {
      byInvariant.set(id, (byInvariant.get(id) ?? 0) + 1);
    }
  }
  const rows: Array<[string, string]> = [
    ['runs', String(results.length)],
    ['seeds', results.length > 0 ? `${results[0]?.seed}…${results[results.length - 1]?.seed}` : '-'],
    ['passed', String(passed)],
    ['failed', failed.length > 0 ? `${failed.length} (seeds ${failed.map((result) => result.seed).join(', ')})` : '0'],
    [
      'harness errors',
      errors.length > 0 ? `${errors.length} (seeds ${errors.map((result) => result.seed).join(', ')})` : '0',
    ],
    ['failing invariants', byInvariant.size > 0 ? [...byInvariant].map(([id, n]) => `${id}×${n}`).join(' ') : '-'],
    ['sales recorded', String(sum((result) => result.stats?.tills.reduce((s, till) => s + till.sales, 0) ?? 0))],
    [
      'device restores from backup',
      String(sum((result) => result.stats?.tills.reduce((n, till) => n + till.restores, 0) ?? 0)),
    ],
    ['sales flagged by the server', String(sum((result) => result.stats?.flaggedSales ?? 0))],
    [
      'server kills (SIGKILL)',
      `${sum((result) => result.stats?.cluster.kills ?? 0)} ${describeCounts(merge(results.map((result) => result.stats?.cluster.killsBy ?? {})))}`,
    ],
    ['requests through the proxy', String(sum((result) => result.stats?.proxy.requests ?? 0))],
    ...faultRows(results),
    ['charges at the gateway', String(sum((result) => result.stats?.charges.succeeded ?? 0))],
    ['median run', `${(median / 1000).toFixed(1)} s`],
    ['elapsed', `${(elapsedMs / 60_000).toFixed(1)} min`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}`);
}

try {
  process.exit(await main());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(2);
}
