/**
 * App start: how long from "the cashier opens the installed till while offline" to "ready to
 * sell", and how much JavaScript the sell screen needs.
 *
 *   npx tsx scripts/bench/start.ts [--warm 10] [--cold 5] [--no-build]
 *
 * Builds the PWA, starts the real demo server (scripts/start-demo.ts, PORT=0, temp data dir),
 * enrolls once in Debian's Chromium (profile on disk) and lets the service worker install and
 * take control. Then, with the context offline (`context.setOffline(true)`):
 * - warm: N times, close every tab and open the till in a new tab of the same browser;
 * - cold: N times, quit Chromium and start it again on the same profile, then open the till
 *   (the service worker and the page start from nothing; the OS file cache stays warm).
 * Each run measures, in the page, navigation start (performance.timeOrigin) → the first frame
 * in which a product tile (`[data-testid^="product-"]`) is in the DOM. Goal ≤ 1 s (median).
 *
 * JavaScript for the sell screen: every .js the page requested from load until 1 s after the
 * tiles were on screen (resource timing, served by the service worker), gzip of each file in
 * pwa/dist (zlib's default level 6, as Vite's build report; 1 kB = 1000 bytes), summed.
 * Goal ≤ 150 kB. Appends to bench-results/start.json.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { startDemoServer } from '../../tests/support/demo-server.ts';
import { enroll, waitForServiceWorkerControl } from '../../tests/support/till-page.ts';
import { launchPersistent, type PersistentBrowser } from './support/chromium.ts';
import {
  appendResult,
  distribution,
  kB,
  machine,
  positiveInt,
  printTable,
  printVerdicts,
  repoRoot,
  type Verdict,
} from './support/results.ts';

const { values } = parseArgs({
  options: {
    warm: { type: 'string' },
    cold: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
const warmRuns = positiveInt('warm', values.warm, 10);
const coldRuns = positiveInt('cold', values.cold, 5);
const distDir = join(repoRoot, 'pwa', 'dist');

if (!values['no-build']) {
  console.log('building the PWA (npm run build --workspace @till/pwa)…');
  execFileSync('npm', ['run', 'build', '--workspace', '@till/pwa'], { cwd: repoRoot, stdio: 'ignore' });
}

/** Runs in every page before its own scripts: notes when the first product tile is in the DOM and painted. */
function markReady(): void {
  const marks = window as unknown as { __tileInDom?: number; __tileFrame?: number };
  const observer = new MutationObserver(() => {
    if (marks.__tileInDom !== undefined || !document.querySelector('[data-testid^="product-"]')) return;
    marks.__tileInDom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      marks.__tileFrame = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

interface StartRun {
  /** navigation start → first tile in the DOM, ms. */
  tileInDom: number;
  /** navigation start → the frame that shows it (requestAnimationFrame after insertion), ms. */
  tileFrame: number;
  /** navigation start → index.html received (from the service worker), ms. */
  documentResponseEnd: number;
  domContentLoaded: number;
  servedByServiceWorker: boolean;
  /** Pathnames of the .js files requested by 1 s after the tiles showed, with their start times. */
  scripts: { path: string; startTime: number }[];
  statusOnline: string;
}

async function measureOnce(context: BrowserContext, url: string): Promise<StartRun> {
  for (const open of context.pages()) await open.close();
  const page = await context.newPage();
  await page.goto(`${url}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __tileFrame?: number }).__tileFrame !== undefined, null, {
    timeout: 30_000,
  });
  await page.waitForTimeout(1000);
  const run = await page.evaluate(() => {
    const marks = window as unknown as { __tileInDom: number; __tileFrame: number };
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const scripts = performance
      .getEntriesByType('resource')
      .filter((entry) => /\.m?js$/.test(new URL(entry.name).pathname))
      .map((entry) => ({ path: new URL(entry.name).pathname, startTime: entry.startTime }));
    return {
      tileInDom: marks.__tileInDom,
      tileFrame: marks.__tileFrame,
      documentResponseEnd: navigation?.responseEnd ?? Number.NaN,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN,
      servedByServiceWorker: (navigation?.workerStart ?? 0) > 0,
      scripts,
      statusOnline: document.querySelector('[data-testid="status-online"]')?.textContent ?? '',
    };
  });
  await page.close();
  return run;
}

const demo = await startDemoServer();
let browser: PersistentBrowser | undefined;
const warm: StartRun[] = [];
const cold: StartRun[] = [];
try {
  browser = await launchPersistent();
  const setup = await browser.context.newPage();
  await setup.goto(`${demo.url}/`);
  await enroll(setup, demo.enrollmentCode, 'Bench till');
  await waitForServiceWorkerControl(setup);
  await browser.context.addInitScript(markReady);

  await browser.context.setOffline(true);
  await measureOnce(browser.context, demo.url); // the first offline open is not counted
  for (let i = 0; i < warmRuns; i++) warm.push(await measureOnce(browser.context, demo.url));

  for (let i = 0; i < coldRuns; i++) {
    await browser.close();
    browser = await launchPersistent(browser.userDataDir);
    await browser.context.addInitScript(markReady);
    await browser.context.setOffline(true);
    cold.push(await measureOnce(browser.context, demo.url));
  }
} finally {
  await browser?.dispose();
  await demo.stop();
}

for (const run of [...warm, ...cold]) {
  if (!run.servedByServiceWorker) throw new Error('a start was not served by the service worker');
  if (!/offline/i.test(run.statusOnline)) throw new Error(`the till did not know it was offline: ${run.statusOnline}`);
}

// JavaScript the sell screen loads (the first measured run; every run must agree).
const gzipOf = (path: string) => gzipSync(readFileSync(join(distDir, path))).length;
const first = warm[0] ?? cold[0];
if (!first) throw new Error('no run');
const loadedBeforeReady = first.scripts.filter((s) => s.startTime <= first.tileInDom).map((s) => s.path);
const loadedAll = [...new Set(first.scripts.map((s) => s.path))];
for (const run of [...warm, ...cold]) {
  const paths = [...new Set(run.scripts.map((s) => s.path))].sort();
  if (paths.join() !== [...loadedAll].sort().join()) throw new Error(`runs loaded different scripts: ${paths}`);
}
const sellJs = loadedAll.map((path) => ({
  path,
  bytes: readFileSync(join(distDir, path)).length,
  gzip: gzipOf(path),
  beforeReady: loadedBeforeReady.includes(path),
}));
const sellGzip = sellJs.reduce((sum, file) => sum + file.gzip, 0);
const allJs = readdirSync(join(distDir, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => ({ path: `/assets/${name}`, bytes: readFileSync(join(distDir, 'assets', name)).length }))
  .map((file) => ({ ...file, gzip: gzipOf(file.path) }));
const allGzip = allJs.reduce((sum, file) => sum + file.gzip, 0);
const swGzip = gzipOf('sw.js');

const warmFrame = distribution(
  warm.map((r) => r.tileFrame),
  1,
);
const coldFrame = distribution(
  cold.map((r) => r.tileFrame),
  1,
);
const phases = (runs: StartRun[]) => ({
  documentFromServiceWorker: distribution(
    runs.map((r) => r.documentResponseEnd),
    1,
  ).p50,
  domContentLoaded: distribution(
    runs.map((r) => r.domContentLoaded),
    1,
  ).p50,
  tileInDom: distribution(
    runs.map((r) => r.tileInDom),
    1,
  ).p50,
  tileFrame: distribution(
    runs.map((r) => r.tileFrame),
    1,
  ).p50,
});
const warmPhases = phases(warm);
const coldPhases = phases(cold);

printTable('app start, offline, navigation start → first product tile on screen (ms)', [
  ['', 'p50 / p95 / max', 'p50 phases: index.html from SW → DOMContentLoaded → tile in DOM → tile frame'],
  [
    `new tab, browser running (${warm.length} runs)`,
    `${warmFrame.p50} / ${warmFrame.p95} / ${warmFrame.max}`,
    `${warmPhases.documentFromServiceWorker} → ${warmPhases.domContentLoaded} → ${warmPhases.tileInDom} → ${warmPhases.tileFrame}`,
  ],
  [
    `browser restarted (${cold.length} runs)`,
    `${coldFrame.p50} / ${coldFrame.p95} / ${coldFrame.max}`,
    `${coldPhases.documentFromServiceWorker} → ${coldPhases.domContentLoaded} → ${coldPhases.tileInDom} → ${coldPhases.tileFrame}`,
  ],
]);
printTable('JavaScript the sell screen loads (gzip, level 6)', [
  ...sellJs.map((f) => [f.path, kB(f.gzip), `${kB(f.bytes)} min${f.beforeReady ? '' : ', after the tiles'}`] as const),
  ['sum', kB(sellGzip), 'goal ≤ 150 kB'],
  ['all JS in dist/assets', kB(allGzip), `${allJs.length} files`],
  ['service worker (sw.js, not page JS)', kB(swGzip), ''],
]);

const verdicts: Verdict[] = [
  {
    what: 'offline start → first tile, new tab (median)',
    figure: `${warmFrame.p50} ms (p95 ${warmFrame.p95} ms)`,
    baseline: '—',
    goal: '≤ 1000 ms',
    met: warmFrame.p50 <= 1000,
  },
  {
    what: 'offline start → first tile, browser restarted (median)',
    figure: `${coldFrame.p50} ms (p95 ${coldFrame.p95} ms)`,
    baseline: '—',
    goal: '≤ 1000 ms',
    met: coldFrame.p50 <= 1000,
  },
  {
    what: 'sell screen JavaScript, gzip',
    figure: `${kB(sellGzip)} in ${sellJs.length} file(s)`,
    baseline: `all JS ${kB(allGzip)}`,
    goal: '≤ 150 kB',
    met: sellGzip <= 150_000,
  },
];
printVerdicts(verdicts);
const file = appendResult('start', {
  at: new Date().toISOString(),
  machine: machine(),
  method: `Debian Chromium headless, profile on disk, context offline; ${warm.length} new-tab starts and ${cold.length} browser-restart starts after one uncounted start; nearest-rank percentiles; JS = resource timing of the first run, gzip level 6, 1 kB = 1000 bytes`,
  verdicts,
  details: {
    header: ['JavaScript file', 'gzip', 'minified', 'loaded'],
    rows: sellJs.map((f) => [f.path, kB(f.gzip), kB(f.bytes), f.beforeReady ? 'before the tiles' : 'after the tiles']),
  },
  startMs: { newTab: warmFrame, browserRestarted: coldFrame },
  phasesP50Ms: { newTab: warmPhases, browserRestarted: coldPhases },
  sellScreenJs: { gzipBytes: sellGzip, files: sellJs },
  allJs: { gzipBytes: allGzip, files: allJs },
  serviceWorkerGzipBytes: swGzip,
});
console.log(`\nappended to ${file}`);
