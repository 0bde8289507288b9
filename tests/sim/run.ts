import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TERMINAL_PAYMENT_STATES } from '@till/shared';
import { realSleep, SimClock } from './clock.ts';
import { Cluster, type ClusterStats, type Gateway } from './cluster.ts';
import { readSql, type Violation } from './evidence.ts';
import { CLEAN, type ProxyStats } from './fault-proxy.ts';
import { checkInvariants } from './invariants.ts';
import type { Schedule, Step, TimedStep } from './schedule.ts';
import { describeStep } from './schedule.ts';
import type { SimTab } from './till/sim-tab.ts';
import { SimTill, type TillStats, type TillTimeouts } from './till/sim-till.ts';

/** How a run is played; everything here is the same for every seed of a session. */
export interface RunConfig {
  /** Simulated ms per real ms, for the tills and the server alike (see clock.ts). */
  timeScale: number;
  /** Real ms the liveness phase may take before the run counts as stuck (`LIVE`). */
  livenessBoundMs: number;
  /** Real ms: the server's gateway call timeout (GATEWAY_TIMEOUT_MS). */
  gatewayTimeoutMs: number;
  /** Real ms: the tills' request timeouts. */
  timeouts: TillTimeouts;
  /** Where each run's data directory is made. */
  workDir: string;
  /** Keep the data directory (SQLite file, server log) of every run, not only failing ones. */
  keepData: boolean;
  log: (line: string) => void;
  verbose: boolean;
}

export interface RunStats {
  tills: TillStats[];
  cluster: ClusterStats;
  proxy: ProxyStats;
  gatewayProxyRequests: number;
  /** PaymentIntents the gateway created, by status. */
  charges: Record<string, number>;
  /** SQL payments by state at the end. */
  payments: Record<string, number>;
  sqlSales: number;
  flaggedSales: number;
}

export interface RunResult {
  seed: number;
  violations: Violation[];
  stats: RunStats | null;
  /** Real ms: the whole run, and the liveness phase alone. */
  durationMs: number;
  livenessMs: number;
  /** The harness itself failed (not the system under test): the run proves nothing. */
  error: string | null;
  dataDir: string;
}

export const DEFAULT_TIMEOUTS: TillTimeouts = { pushMs: 3_000, captureMs: 1_500, healthMs: 1_000 };

/** Plays one schedule against a fresh cluster, then the liveness phase, then every check. */
export async function runSchedule(schedule: Schedule, gateway: Gateway, config: RunConfig): Promise<RunResult> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(config.workDir, `seed-${schedule.seed}-`));
  const clock = SimClock.starting(config.timeScale);
  const note = (line: string) => {
    if (config.verbose) config.log(`  [${((performance.now() - started) / 1000).toFixed(2)}s] ${line}`);
  };
  await gateway.control.reset();
  const cluster = new Cluster({
    dataDir,
    clock,
    seed: schedule.seed,
    tills: schedule.tills,
    store: schedule.store,
    gateway,
    gatewayTimeoutMs: config.gatewayTimeoutMs,
    log: note,
  });
  const tills: SimTill[] = [];
  const windows = new FaultWindows();
  let livenessMs = 0;
  try {
    await cluster.start();
    for (let i = 0; i < schedule.tills; i++) {
      tills.push(
        new SimTill(i, {
          clock,
          proxyUrl: cluster.proxyUrl,
          seed: schedule.seed,
          timeouts: config.timeouts,
          batchSize: schedule.batchSize,
          log: note,
        }),
      );
    }
    await Promise.all(tills.map((till, i) => till.enroll(cluster.codes[i] ?? '')));
    for (const till of tills) till.openTab(0);
    note('enrolled; chaos phase');

    for (const [index, timed] of schedule.steps.entries()) {
      note(describeStep(timed, index));
      await dispatch(timed, { tills, cluster, gateway, windows });
      if (timed.gapMs > 0) await realSleep(timed.gapMs);
    }
    await Promise.all(tills.map((till) => till.whenIdle()));

    note('liveness phase: faults off');
    const livenessStart = performance.now();
    windows.closeAll();
    cluster.tillProxy.setProfile(CLEAN);
    await gateway.control.setFault({ mode: 'up' });
    await cluster.calm();
    for (const till of tills) {
      if (till.openTabs().length === 0) till.openTab(0);
      till.setOnline(true);
    }
    const outstanding = await waitForQuiet(tills, cluster, gateway, config.livenessBoundMs, note);
    livenessMs = performance.now() - livenessStart;
    note(`liveness phase over after ${(livenessMs / 1000).toFixed(1)}s${outstanding.length > 0 ? ' (NOT quiet)' : ''}`);

    for (const till of tills) till.closeAll();
    await cluster.stop();
    const snapshots = await Promise.all(tills.map((till) => till.snapshot()));
    const sql = readSql(cluster.ledgerFile);
    const ledger = await gateway.control.ledger();
    const violations = await checkInvariants({
      sql,
      gateway: ledger,
      tills: snapshots,
      timezone: cluster.store?.timezone ?? 'UTC',
    });
    for (const reason of outstanding) violations.unshift({ invariant: 'LIVE', message: `not quiet: ${reason}` });
    for (const till of tills) {
      for (const error of till.stats.saleErrors)
        violations.push({ invariant: 'I1', message: `till ${till.index}: ${error}` });
    }
    const stats: RunStats = {
      tills: tills.map((till) => till.stats),
      cluster: cluster.stats,
      proxy: cluster.tillProxy.stats,
      gatewayProxyRequests: cluster.gatewayProxy.stats.requests,
      charges: tally(ledger.charges.map((charge) => charge.status)),
      payments: tally(sql.payments.map((payment) => payment.state)),
      sqlSales: sql.sales.length,
      flaggedSales: sql.sales.filter((sale) => sale.status === 'flagged').length,
    };
    const failed = violations.length > 0;
    if (!failed && !config.keepData) rmSync(dataDir, { recursive: true, force: true });
    return {
      seed: schedule.seed,
      violations,
      stats,
      durationMs: performance.now() - started,
      livenessMs,
      error: null,
      dataDir,
    };
  } catch (error) {
    windows.closeAll();
    for (const till of tills) till.closeAll();
    await cluster.abort().catch(() => undefined);
    return {
      seed: schedule.seed,
      violations: [],
      stats: null,
      durationMs: performance.now() - started,
      livenessMs,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      dataDir,
    };
  }
}

interface Actors {
  tills: SimTill[];
  cluster: Cluster;
  gateway: Gateway;
  windows: FaultWindows;
}

/** Faults that last a while: each kind has at most one window open; a new one replaces it. */
class FaultWindows {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  open(key: string, forMs: number, end: () => unknown): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        void Promise.resolve(end()).catch(() => undefined);
      }, forMs),
    );
  }

  closeAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

/**
 * Starts one step. Cashier steps queue on their till (one cashier per till, in order) and run
 * while the timeline moves on; faults, network and crashes take effect at once.
 */
async function dispatch(timed: TimedStep, { tills, cluster, gateway, windows }: Actors): Promise<void> {
  const step: Step = timed.step;
  const till = 'till' in step ? tills[step.till % tills.length] : undefined;
  switch (step.kind) {
    case 'sell':
      till?.enqueue(() => guarded(till.tabFor(step.tab), (tab) => tab.sell(step.sale)));
      return;
    case 'sell_together':
      till?.enqueue(async () => {
        const first = till.openTab(0);
        const second = till.openTab(1);
        await Promise.all([
          guarded(first, (tab) => tab.sell(step.sales[0])),
          guarded(second, (tab) => tab.sell(step.sales[1])),
        ]);
      });
      return;
    case 'sell_then_close':
      till?.enqueue(async () => {
        const tab = till.tabFor(step.tab);
        const sale = guarded(tab, (open) => open.sell(step.sale));
        await realSleep(step.afterMs);
        tab.close();
        await sale;
      });
      return;
    case 'close_tab':
      till?.enqueue(async () => till.closeTab(step.tab % 2));
      return;
    case 'open_tab':
      till?.enqueue(async () => {
        const free = till.slots.findIndex((tab) => tab === null || tab.closed);
        if (free >= 0) till.openTab(free);
      });
      return;
    case 'backup':
      till?.enqueue(() => till.backup());
      return;
    case 'restore':
      till?.enqueue(() => till.restore());
      return;
    case 'till_offline':
      if (!till) return;
      till.setOnline(false);
      windows.open(`till-${till.index}`, step.forMs, () => till.setOnline(true));
      return;
    case 'network':
      cluster.tillProxy.setProfile(step.profile);
      windows.open('network', step.forMs, () => cluster.tillProxy.setProfile(CLEAN));
      return;
    case 'gateway':
      await gateway.control.setFault(step.fault);
      windows.open('gateway', step.forMs, () => gateway.control.setFault({ mode: 'up' }));
      return;
    case 'crash':
      cluster.crash(step);
      return;
  }
}

/** Runs a sale on a tab; a tab that dies under it interrupts the sale (expected), anything else is recorded. */
async function guarded(tab: SimTab, work: (tab: SimTab) => Promise<void>): Promise<void> {
  try {
    await work(tab);
  } catch (error) {
    if (tab.closed) tab.till.stats.interrupted += 1;
    else tab.till.stats.saleErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}

const TERMINAL = new Set<string>(TERMINAL_PAYMENT_STATES);

/**
 * Waits until nothing is left to do: no till has unsent sales, every card payment a sale
 * carries is settled, no outcome is unknown, and every till's journal shows what the server
 * knows. Returns what is still outstanding when the bound runs out (empty when quiet).
 */
async function waitForQuiet(
  tills: SimTill[],
  cluster: Cluster,
  gateway: Gateway,
  boundMs: number,
  note: (line: string) => void,
): Promise<string[]> {
  const deadline = performance.now() + boundMs;
  let reasons: string[] = [];
  let nextNote = 0;
  while (true) {
    reasons = await outstandingWork(tills, cluster, gateway);
    if (reasons.length === 0) return [];
    if (performance.now() > deadline) return reasons;
    if (performance.now() > nextNote) {
      note(`waiting (${reasons.length} outstanding): ${reasons[0]}`);
      nextNote = performance.now() + 1_000;
    }
    await realSleep(200);
  }
}

async function outstandingWork(tills: SimTill[], cluster: Cluster, gateway: Gateway): Promise<string[]> {
  const reasons: string[] = [];
  for (const till of tills) {
    const unsent = await till.unsentCount();
    if (unsent > 0) reasons.push(`till ${till.index} has ${unsent} unsent sales`);
  }
  const sql = readSql(cluster.ledgerFile);
  const states = new Map(sql.payments.map((payment) => [payment.id, payment.state]));
  for (const payment of sql.payments) {
    if (payment.state === 'unknown') reasons.push(`payment ${payment.id} is unknown`);
    else if (payment.sale_received_at !== null && !TERMINAL.has(payment.state) && payment.state !== 'quarantined') {
      reasons.push(`payment ${payment.id} of a sale is ${payment.state}`);
    }
  }
  for (const charge of (await gateway.control.ledger()).charges) {
    const state = charge.tillPaymentId === null ? undefined : states.get(charge.tillPaymentId);
    if (charge.status === 'succeeded' && (state === 'pending' || state === 'unknown')) {
      reasons.push(`payment ${charge.tillPaymentId} is charged at the gateway, ${state} in SQL`);
    }
  }
  for (const till of tills) {
    const snapshot = await till.snapshot();
    for (const row of snapshot.cardPayments) {
      const state = states.get(row.id);
      if (state === undefined || !TERMINAL.has(state) || row.state === state) continue;
      if (row.state === 'cancelled' && state !== 'captured') continue;
      reasons.push(`till ${till.index} journal shows payment ${row.id} ${row.state}, the server ${state}`);
    }
  }
  return reasons;
}

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
