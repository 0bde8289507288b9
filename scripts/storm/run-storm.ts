import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  API_PREFIX,
  CURRENCY_EXPONENTS,
  type EnrollResponse,
  type HealthResponse,
  type LoadHealth,
  uuidv7,
} from '@till/shared';
import { DEFAULT_BACKOFF } from '../../pwa/src/features/sync/backoff.ts';
import { createEnrollmentCode, createTenantAndStore, type NewStore } from '../../sync-server/src/admin.ts';
import { openLedger } from '../../sync-server/src/store/open-ledger.ts';
import { gatewayControl } from '../gateway-simulator/control-client.ts';
import { type SimulatorProcess, spawnGatewaySimulator } from '../gateway-simulator/spawn.ts';
import { type LatencySummary, PushMetrics, summarise } from './metrics.ts';
import { cpuSecondsOf, MemorySampler, memoryOf, type ServerProcess, spawnServer } from './processes.ts';
import { cardSaleCount, outageSales } from './sales.ts';
import { loadTill, type StormTill, tillEngine, unsentCount } from './tills.ts';
import { captureProgress, type Verification, verify } from './verify.ts';

export interface StormOptions {
  tills: number;
  salesPerTill: number;
  /** Share of sales paid by a stored card. */
  cardShare: number;
  /** Sales per push (the till's batch size). */
  batchSize: number;
  /** The gateway simulator's rate limit (token bucket) and burst. */
  gatewayRate: number;
  gatewayBurst: number;
  /** The capture worker's rate (GATEWAY_RATE_PER_SECOND): just under the gateway's. */
  workerRate: number;
  captureConcurrency: number;
  /** The till's timeout for one request (the sync engine's default is 15 s). */
  requestTimeoutMs: number;
  /** Cap of the till's exponential backoff (the sync engine's default is 60 s); for experiments. */
  tillBackoffCapMs: number;
  /** Bound on the storm, from the release until everything is captured. */
  maxSeconds: number;
  /** More server settings (e.g. MAX_CONCURRENT_PUSHES); empty = the server's defaults. */
  serverEnv: Record<string, string>;
  /** Keep the data directory (ledger and gateway files) for a look afterwards. */
  keepData: boolean;
  /** Write the server's log lines here (with serverEnv LOG_LEVEL=info: one line per request). */
  serverLogFile?: string;
  log: (line: string) => void;
  /** Aborting it (Ctrl+C) ends the storm early; processes are still cleaned up. */
  signal?: AbortSignal;
}

export const DEFAULT_STORM: Omit<StormOptions, 'log'> = {
  tills: 200,
  salesPerTill: 500,
  cardShare: 0.33,
  batchSize: 100,
  gatewayRate: 200,
  gatewayBurst: 20,
  workerRate: 190,
  captureConcurrency: 16,
  requestTimeoutMs: 15_000,
  tillBackoffCapMs: DEFAULT_BACKOFF.capMs,
  maxSeconds: 1800,
  serverEnv: {},
  keepData: false,
};

export interface StormResult {
  at: string;
  machine: string;
  /** 1-minute load average when the tills were released and at the end: other work on the machine. */
  loadAverage: { atRelease: number; atEnd: number };
  client: string;
  config: Record<string, unknown>;
  pregenerateSeconds: number;
  ingest: {
    allInSeconds: number | null;
    salesPerSecond: number | null;
    peakSalesPerSecond: number;
    pushes: {
      total: number;
      ok: number;
      shed429: number;
      serverErrors5xx: number;
      clientErrors4xx: number;
      timeouts: number;
      networkErrors: number;
      shedShare: number;
    };
    latencyMs: { admitted: LatencySummary; allAnswers: LatencySummary; shed: LatencySummary };
    retryAfterSeconds: LatencySummary;
    salesPerSecondTimeline: number[];
    tillsBlocked: number;
    tillsWithUnsentSales: number;
    /**
     * Health polls, before all sales were in, that found no push in flight or queued: the server
     * idle while tills still had sales, waiting out their backoff. About seconds.
     */
    pushIdleSecondsBeforeAllIn: number;
    /** Per health poll (about 1 s): seconds since the release, pushes in flight, queued, shed so far. */
    loadTimeline: [number, number, number, number][];
  };
  captures: {
    expected: number;
    captured: number;
    allCapturedSeconds: number | null;
    gatewayRateLimitedAttempts: number;
  };
  server: {
    peakRssMiB: number | null;
    sampledPeakRssMiB: number;
    sampledPeakAtSeconds: number;
    cpuSeconds: number | null;
    stayedUp: boolean;
    exitCode: number | null;
    load: LoadHealth | null;
  };
  health: { polls: number; failures: number; latencyMs: LatencySummary };
  simulator: { peakRssMiB: number | null };
  driver: {
    peakRssMiB: number | null;
    cpuSeconds: number;
    eventLoopDelayMs: { p50: number; p99: number; max: number };
  };
  verification: Verification | null;
  timedOut: boolean;
  problems: string[];
  pass: boolean;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The storm's shop. Its stored-card limits let a till hold a long outage's card sales. */
function stormStore(): NewStore {
  const unit = 10 ** CURRENCY_EXPONENTS.USD;
  return {
    code: 'STRM',
    name: 'Storm Shop',
    currency: 'USD',
    taxMode: 'exclusive',
    locale: 'en-US',
    timezone: 'America/New_York',
    address: '1 Outage Road',
    cardOfflineLimits: { maxPerPayment: 100 * unit, maxTotalPerDevice: 100_000 * unit, maxAgeMinutes: 24 * 60 },
  };
}

/**
 * The reconnect storm: a fresh ledger, the gateway simulator and the server as their own
 * processes, `tills` enrolled tills each holding `salesPerTill` unsent sales, released at once.
 * Measures until every sale is in and every card payment captured (or `maxSeconds`), then stops
 * the processes and checks the ledger and the gateway.
 */
export async function runStorm(options: StormOptions): Promise<StormResult> {
  const { log } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'till-storm-'));
  const ledgerFile = join(dataDir, 'till.sqlite');
  const problems: string[] = [];
  let simulator: SimulatorProcess | undefined;
  let server: ServerProcess | undefined;
  const tills: StormTill[] = [];
  const driverCpuAtStart = process.cpuUsage();
  try {
    // 1. The gateway, rate limited like a real one, and the store with one code per till.
    simulator = await spawnGatewaySimulator({ dataFile: join(dataDir, 'gateway-simulator.sqlite') });
    const control = gatewayControl(simulator.controlUrl);
    await control.setFault({ mode: 'up', ratePerSecond: options.gatewayRate, burst: options.gatewayBurst });
    const codes = await prepareLedger(ledgerFile, options.tills);

    // 2. The server, as an operator starts it.
    const serverEnv: Record<string, string> = {
      TILL_DATA_DIR: dataDir,
      PWA_DIR: join(dataDir, 'no-pwa'),
      LOG_LEVEL: 'warn',
      GATEWAY_URL: simulator.apiUrl,
      GATEWAY_RATE_PER_SECOND: String(options.workerRate),
      CAPTURE_CONCURRENCY: String(options.captureConcurrency),
      CAPTURE_WORKER: 'on',
      ...options.serverEnv,
    };
    server = await spawnServer(serverEnv, options.serverLogFile ? { logFile: options.serverLogFile } : {});
    log(`server pid ${server.pid} at ${server.url}; gateway simulator pid ${simulator.pid}`);

    // 3. Enroll the tills and give each its outage backlog (not timed as part of the storm).
    const generationStarted = performance.now();
    const enrollments = await enrollAll(server.url, codes);
    const runId = uuidv7().slice(-8);
    const outageEnded = Date.now();
    let releasedAt = 0;
    const metrics = new PushMetrics(() => releasedAt);
    for (const [index, enrollment] of enrollments.entries()) {
      const sales = await outageSales({
        store: enrollment.store,
        deviceNo: enrollment.deviceNo,
        count: options.salesPerTill,
        cardShare: options.cardShare,
        endedAt: outageEnded,
      });
      const db = await loadTill(index, runId, enrollment, sales);
      tills.push(
        tillEngine(index, db, {
          baseUrl: server.url,
          batchSize: options.batchSize,
          requestTimeoutMs: options.requestTimeoutMs,
          backoff: { ...DEFAULT_BACKOFF, capMs: options.tillBackoffCapMs },
          metrics,
        }),
      );
      if ((index + 1) % 50 === 0) log(`prepared ${index + 1}/${enrollments.length} tills`);
    }
    const pregenerateSeconds = (performance.now() - generationStarted) / 1000;
    const expectedCards = options.tills * cardSaleCount(options.salesPerTill, options.cardShare);

    // 4. Release every till at once, and watch.
    const serverPid = server.pid;
    const cpuAtRelease = cpuSecondsOf(serverPid);
    releasedAt = Date.now();
    const loadAtRelease = loadavg()[0] ?? 0;
    const memory = new MemorySampler(serverPid, releasedAt);
    memory.start();
    // The tills' own event loop: its delays are part of the latencies they measure.
    const driverDelay = monitorEventLoopDelay({ resolution: 20 });
    driverDelay.enable();
    const health = healthPoller(server.url, () => tills.every((till) => till.finished !== null));
    for (const till of tills) till.start();
    log(`released ${tills.length} tills with ${options.tills * options.salesPerTill} sales at once`);
    const progress = setInterval(() => {
      const load = health.last?.load?.push;
      const mem = memoryOf(serverPid);
      const captured = safeCaptured(ledgerFile);
      log(
        `t+${((Date.now() - releasedAt) / 1000).toFixed(0)}s: pushes ok ${metrics.count('ok')}, 429 ${metrics.count('shed')}, ` +
          `5xx ${metrics.count('server_error')}, timeouts ${metrics.count('timeout')}; ` +
          `server in flight ${load?.inFlight ?? '?'}, queued ${load?.queued ?? '?'}, rss ${mem ? mem.rssMiB.toFixed(0) : '?'} MiB; ` +
          `captured ${captured}/${expectedCards}`,
      );
    }, 5000);

    const deadline = releasedAt + options.maxSeconds * 1000;
    let timedOut = false;
    let allInAt: number | null = null;
    let allCapturedAt: number | null = null;
    try {
      const finished = await untilDeadline(Promise.all(tills.map((till) => till.done)), deadline, options.signal);
      if (finished === 'timeout') timedOut = true;
      else allInAt = Math.max(...finished.map((done) => done.at));
      if (!timedOut) {
        log(`all sales in after ${((allInAt ?? 0) - releasedAt) / 1000} s; waiting for the captures`);
        allCapturedAt = await capturesDone(ledgerFile, expectedCards, deadline, options.signal);
        if (allCapturedAt === null) timedOut = true;
      }
    } finally {
      clearInterval(progress);
      driverDelay.disable();
      memory.stop();
      health.stop();
    }
    const blocked = tills.filter((till) => till.finished?.phase === 'blocked').length;
    const stillUnsent = (await Promise.all(tills.map(unsentCount))).filter((unsent) => unsent > 0).length;
    for (const till of tills) till.engine.stop();

    // 5. Figures from the processes while they still run, then stop the server and check.
    const finalHealth = await fetchHealth(server.url);
    const serverMemory = memoryOf(serverPid);
    const cpuAtEnd = cpuSecondsOf(serverPid);
    const simulatorMemory = memoryOf(simulator.pid);
    const serverAliveAtEnd = serverMemory !== null;
    const exitCode = await server.stop();
    server = undefined;
    const gatewayLedger = await control.ledger();
    const verification = verify(ledgerFile, gatewayLedger, {
      tills: options.tills,
      salesPerTill: options.salesPerTill,
      cardPayments: expectedCards,
    });
    const progressAtEnd = captureProgress(ledgerFile);
    const lastCaptured = progressAtEnd.lastCapturedAt ? Date.parse(progressAtEnd.lastCapturedAt) : null;

    const totalSales = options.tills * options.salesPerTill;
    const allInSeconds = allInAt === null ? null : (allInAt - releasedAt) / 1000;
    const pushes = {
      total: metrics.total(),
      ok: metrics.count('ok'),
      shed429: metrics.count('shed'),
      serverErrors5xx: metrics.count('server_error'),
      clientErrors4xx: metrics.count('client_error'),
      timeouts: metrics.count('timeout'),
      networkErrors: metrics.count('network_error'),
      shedShare: metrics.total() === 0 ? 0 : round(metrics.count('shed') / metrics.total(), 4),
    };
    problems.push(...metrics.problems);
    const driverCpu = process.cpuUsage(driverCpuAtStart);
    const result: StormResult = {
      at: new Date().toISOString(),
      machine: `${cpus().length} cpu, ${round(totalmem() / 2 ** 30, 1)} GiB, node ${process.version}`,
      loadAverage: { atRelease: round(loadAtRelease), atEnd: round(loadavg()[0] ?? 0) },
      client:
        'the till’s own SyncEngine (pwa/src/features/sync) over Dexie + fake-indexeddb, one per till, real timers',
      config: {
        tills: options.tills,
        salesPerTill: options.salesPerTill,
        totalSales,
        cardShare: options.cardShare,
        cardPayments: expectedCards,
        batchSize: options.batchSize,
        gatewayRatePerSecond: options.gatewayRate,
        gatewayBurst: options.gatewayBurst,
        workerRatePerSecond: options.workerRate,
        captureConcurrency: options.captureConcurrency,
        requestTimeoutMs: options.requestTimeoutMs,
        tillBackoffCapMs: options.tillBackoffCapMs,
        maxSeconds: options.maxSeconds,
        serverEnv: options.serverEnv,
      },
      pregenerateSeconds: round(pregenerateSeconds),
      ingest: {
        allInSeconds: allInSeconds === null ? null : round(allInSeconds),
        salesPerSecond: allInSeconds === null ? null : round(totalSales / allInSeconds, 0),
        peakSalesPerSecond: metrics.peakSalesPerSecond(),
        pushes,
        latencyMs: {
          admitted: metrics.latency('ok'),
          allAnswers: metrics.latency('ok', 'shed', 'server_error', 'client_error', 'timeout', 'network_error'),
          shed: metrics.latency('shed'),
        },
        retryAfterSeconds: summarise(metrics.retryAfterSeconds),
        salesPerSecondTimeline: metrics.timeline(),
        tillsBlocked: blocked,
        tillsWithUnsentSales: stillUnsent,
        pushIdleSecondsBeforeAllIn: health.samples.filter(
          ([at, inFlight, queued]) => inFlight === 0 && queued === 0 && (allInAt === null || at < allInAt),
        ).length,
        loadTimeline: health.samples.map(([at, inFlight, queued, shed]) => [
          round((at - releasedAt) / 1000, 1),
          inFlight,
          queued,
          shed,
        ]),
      },
      captures: {
        expected: expectedCards,
        captured: progressAtEnd.captured,
        allCapturedSeconds:
          allCapturedAt === null || lastCaptured === null ? null : round((lastCaptured - releasedAt) / 1000),
        gatewayRateLimitedAttempts: verification.gatewayRateLimitedAttempts,
      },
      server: {
        peakRssMiB: serverMemory ? round(serverMemory.peakMiB, 1) : null,
        sampledPeakRssMiB: round(memory.peakRssMiB, 1),
        sampledPeakAtSeconds: round(memory.peakAtMs / 1000, 1),
        cpuSeconds: cpuAtRelease === null || cpuAtEnd === null ? null : round(cpuAtEnd - cpuAtRelease, 1),
        stayedUp: serverAliveAtEnd && health.failures === 0,
        exitCode,
        load: finalHealth?.load ?? null,
      },
      health: { polls: health.polls, failures: health.failures, latencyMs: summarise(health.latencies) },
      simulator: { peakRssMiB: simulatorMemory ? round(simulatorMemory.peakMiB, 1) : null },
      driver: {
        peakRssMiB: round(memoryOf(process.pid)?.peakMiB ?? 0, 1),
        cpuSeconds: round((driverCpu.user + driverCpu.system) / 1e6, 1),
        eventLoopDelayMs: {
          p50: round(driverDelay.percentile(50) / 1e6, 1),
          p99: round(driverDelay.percentile(99) / 1e6, 1),
          max: round(driverDelay.max / 1e6, 1),
        },
      },
      verification,
      timedOut,
      problems,
      pass: false,
    };
    result.pass =
      !timedOut &&
      result.server.stayedUp &&
      pushes.serverErrors5xx === 0 &&
      pushes.timeouts === 0 &&
      pushes.networkErrors === 0 &&
      blocked === 0 &&
      stillUnsent === 0 &&
      verification.pass;
    return result;
  } finally {
    await Promise.allSettled(
      tills.map(async (till) => {
        till.engine.stop();
        till.db.close();
      }),
    );
    await server?.stop();
    await simulator?.stop();
    if (options.keepData) log(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

async function prepareLedger(file: string, tills: number): Promise<string[]> {
  const ledger = await openLedger({ kind: 'sqlite', file });
  try {
    const { store } = await createTenantAndStore(ledger, { tenantName: 'Storm Tenant', store: stormStore() });
    const codes: string[] = [];
    for (let till = 0; till < tills; till += 1) codes.push((await createEnrollmentCode(ledger, store.id, 120)).code);
    return codes;
  } finally {
    await ledger.close();
  }
}

async function enrollAll(url: string, codes: string[]): Promise<EnrollResponse[]> {
  const enrollments: EnrollResponse[] = [];
  for (const [index, code] of codes.entries()) {
    const response = await fetch(`${url}${API_PREFIX}/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: `Storm till ${index + 1}`, appVersion: 'storm' }),
    });
    if (response.status !== 201)
      throw new Error(`enrolling till ${index + 1}: ${response.status} ${await response.text()}`);
    enrollments.push((await response.json()) as EnrollResponse);
  }
  return enrollments;
}

async function fetchHealth(url: string): Promise<HealthResponse | null> {
  try {
    const response = await fetch(`${url}${API_PREFIX}/health`, { signal: AbortSignal.timeout(5000) });
    return response.ok ? ((await response.json()) as HealthResponse) : null;
  } catch {
    return null;
  }
}

/**
 * GET /health every second during the storm: it must never be shed, slow or failing. Its push
 * counters, while some till still has sales to push, make the load timeline.
 */
function healthPoller(url: string, allIn: () => boolean) {
  const state = {
    polls: 0,
    failures: 0,
    latencies: [] as number[],
    last: null as HealthResponse | null,
    /** [time, in flight, queued, shed so far] while pushes remain. */
    samples: [] as [number, number, number, number][],
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(async () => {
    const started = performance.now();
    const pushing = !allIn();
    const health = await fetchHealth(url);
    state.polls += 1;
    state.latencies.push(performance.now() - started);
    if (health === null) state.failures += 1;
    else state.last = health;
    const push = health?.load?.push;
    if (pushing && push) state.samples.push([Date.now(), push.inFlight, push.queued, push.shed]);
  }, 1000);
  return state;
}

function safeCaptured(file: string): number | string {
  try {
    return captureProgress(file).captured;
  } catch {
    return '?';
  }
}

async function untilDeadline<T>(work: Promise<T>, deadline: number, signal?: AbortSignal): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', () => resolve('timeout'), { once: true });
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls the ledger until `expected` payments are captured; the time it saw it, or null at the deadline. */
async function capturesDone(
  file: string,
  expected: number,
  deadline: number,
  signal?: AbortSignal,
): Promise<number | null> {
  while (Date.now() < deadline && !signal?.aborted) {
    if (captureProgress(file).captured >= expected) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}
