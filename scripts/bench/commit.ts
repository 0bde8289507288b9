/**
 * Till commit: how long does recording one sale take in a real browser, and what does Dexie add
 * over plain IndexedDB doing the same work?
 *
 *   npx tsx scripts/bench/commit.ts [--sales 500] [--warmup 50] [--workloads cash,card]
 *
 * Bundles `commit-page/page.ts` (the till's real `recordSale` from pwa/src/db, plus the plain
 * IndexedDB baseline) with esbuild, serves it on 127.0.0.1 and runs it in Debian's Chromium with
 * a profile on disk (IndexedDB really flushed: durability 'strict' on both sides). Reports p50,
 * p95 and p99 per sale after warm-up. Goals: Dexie p50 ≤ 1.2 × the plain-IndexedDB p50 of the
 * same algorithm; p95 < 16 ms (one frame). Appends to bench-results/commit.json.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { CommitBenchRun, Variant, Workload } from './commit-page/page.ts';
import { launchPersistent } from './support/chromium.ts';
import {
  appendResult,
  distribution,
  machine,
  positiveInt,
  printTable,
  printVerdicts,
  round,
  type Verdict,
} from './support/results.ts';
import { serveStatic } from './support/static-server.ts';

const { values } = parseArgs({
  options: {
    sales: { type: 'string' },
    warmup: { type: 'string' },
    workloads: { type: 'string', default: 'cash,card' },
  },
});
const sales = positiveInt('sales', values.sales, 500);
const warmup = positiveInt('warmup', values.warmup, 50);
const workloads = values.workloads.split(',').map((w) => w.trim()) as Workload[];
for (const workload of workloads) {
  if (workload !== 'cash' && workload !== 'card') throw new Error(`--workloads: cash and/or card, got ${workload}`);
}

const bundled = await build({
  entryPoints: [fileURLToPath(new URL('./commit-page/page.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  minify: true,
  write: false,
  logLevel: 'error',
});
const script = bundled.outputFiles[0]?.text;
if (!script) throw new Error('esbuild produced no bundle');
const server = await serveStatic({
  '/': {
    type: 'text/html; charset=utf-8',
    body: '<!doctype html><meta charset="utf-8"><title>commit bench</title><script type="module" src="/page.js"></script>',
  },
  '/page.js': { type: 'text/javascript', body: script },
});
const browser = await launchPersistent();
const runs: CommitBenchRun[] = [];
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  for (const workload of workloads) {
    const started = performance.now();
    const run = await page.evaluate((options) => window.runCommitBench(options), { workload, warmup, sales });
    console.log(
      `  ${workload}: ${warmup} + ${sales} sales per variant in ${round((performance.now() - started) / 1000, 1)} s`,
    );
    for (const variant of ['dexie', 'raw', 'rawTx'] as const) {
      if (run.stored[variant] !== warmup + sales) {
        throw new Error(`${workload}/${variant}: ${run.stored[variant]} sales stored, expected ${warmup + sales}`);
      }
    }
    runs.push(run);
  }
} finally {
  await browser.dispose();
  await server.close();
}

const LABELS: Record<Variant, string> = {
  dexie: 'recordSale (Dexie)',
  raw: 'plain IndexedDB, same algorithm',
  rawTx: 'plain IndexedDB, rw transaction only',
};
const verdicts: Verdict[] = [];
const figures = runs.map((run) => {
  const dist = {
    dexie: distribution(run.ms.dexie),
    raw: distribution(run.ms.raw),
    rawTx: distribution(run.ms.rawTx),
  };
  const rawSplitP50 = {
    headRead: distribution(run.rawSplit.head).p50,
    seal: distribution(run.rawSplit.seal).p50,
    transaction: distribution(run.rawSplit.tx).p50,
  };
  const ratioP50 = round(dist.dexie.p50 / dist.raw.p50, 2);
  const journal = run.workload === 'card' ? ' + 1 card journal row' : '';
  printTable(`till commit — ${run.workload} sale (sale + chain head${journal}), ms per sale, ${sales} sales`, [
    ['', 'p50 / p95 / p99 / max', ''],
    ...(['dexie', 'raw', 'rawTx'] as const).map(
      (v) => [LABELS[v], `${dist[v].p50} / ${dist[v].p95} / ${dist[v].p99} / ${dist[v].max}`, ''] as const,
    ),
    ['Dexie p50 ÷ plain p50', ratioP50, 'goal ≤ 1.2'],
    [
      'plain, p50 split',
      `head read ${rawSplitP50.headRead}, seal ${rawSplitP50.seal}, rw tx ${rawSplitP50.transaction}`,
      '',
    ],
  ]);
  verdicts.push(
    {
      what: `commit p50, ${run.workload} sale: Dexie ÷ plain IndexedDB`,
      figure: `${ratioP50}× (${dist.dexie.p50} vs ${dist.raw.p50} ms)`,
      baseline: `plain IndexedDB p50 ${dist.raw.p50} ms (rw tx alone ${dist.rawTx.p50} ms)`,
      goal: '≤ 1.2×',
      met: ratioP50 <= 1.2,
    },
    {
      what: `commit p95, ${run.workload} sale (Dexie)`,
      figure: `${dist.dexie.p95} ms (p99 ${dist.dexie.p99} ms)`,
      baseline: `plain IndexedDB p95 ${dist.raw.p95} ms`,
      goal: '< 16 ms',
      met: dist.dexie.p95 < 16,
    },
  );
  return {
    workload: run.workload,
    ms: dist,
    dexieOverPlainP50: ratioP50,
    plainSplitP50Ms: rawSplitP50,
    timerResolutionMs: round(run.timerResolutionMs, 4),
    crossOriginIsolated: run.crossOriginIsolated,
  };
});
printVerdicts(verdicts);
const file = appendResult('commit', {
  at: new Date().toISOString(),
  machine: machine(),
  method: `Debian Chromium, headless, profile on disk; ${warmup} warm-up + ${sales} measured sales per variant, variants interleaved sale by sale; nearest-rank percentiles; durability 'strict' everywhere`,
  verdicts,
  details: {
    header: ['sale', 'way of recording', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    rows: figures.flatMap((f) =>
      (['dexie', 'raw', 'rawTx'] as const).map((v) => [
        f.workload,
        LABELS[v],
        String(f.ms[v].p50),
        String(f.ms[v].p95),
        String(f.ms[v].p99),
        String(f.ms[v].max),
      ]),
    ),
  },
  salesPerVariant: sales,
  warmup,
  figures,
});
console.log(`\nappended to ${file}`);
