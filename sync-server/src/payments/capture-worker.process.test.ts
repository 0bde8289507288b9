import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as wait } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { UnsealedSale } from '@till/shared';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { gatewayControl } from '../../../scripts/gateway-simulator/control-client.ts';
import { type SimulatorProcess, spawnGatewaySimulator } from '../../../scripts/gateway-simulator/spawn.ts';
import { cardOf, startTestServer, type TestServer } from '../../test/helper.ts';

/**
 * Capture workers as real processes on one SQLite ledger, against the gateway simulator as its
 * own process: the lease must hold across processes, and a crash (SIGKILL) mid-drain must not
 * lose or double a charge (I4, I5).
 */
const WORKER = fileURLToPath(new URL('../../test/capture-worker-process.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

let simDir: string;
let simulator: SimulatorProcess;
const children: ChildProcess[] = [];

beforeAll(async () => {
  simDir = mkdtempSync(join(tmpdir(), 'till-sim-process-'));
  simulator = await spawnGatewaySimulator({ dataFile: join(simDir, 'gateway-simulator.sqlite') });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await simulator.stop();
  rmSync(simDir, { recursive: true, force: true });
});

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function startWorker(dataDir: string, startAt: number, leaseMs?: number): Promise<WorkerProcess> {
  const args = ['--import', TSX, WORKER, dataDir, simulator.apiUrl, String(startAt)];
  if (leaseMs !== undefined) args.push(String(leaseMs));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      output += `${line}\n`;
      if (line === 'WORKER_READY') resolve();
    });
    void exited.then((code) => reject(new Error(`worker exited (${code}) before ready:\n${output}`)));
  });
  return { child, output: () => output, exited };
}

async function seedStoredPayments(server: TestServer, n: number): Promise<string[]> {
  const till = await server.enroll();
  const ids: string[] = [];
  for (let start = 0; start < n; start += 200) {
    const sales = [];
    // Sold now (the worker processes run on the real clock; the test till's default date is old).
    const soldNow = (sale: UnsealedSale): UnsealedSale => ({ ...sale, createdAt: new Date().toISOString() });
    for (let i = start; i < Math.min(n, start + 200); i += 1) sales.push(await till.nextCardSale({}, soldNow));
    const response = await till.push(till.pushBody(sales));
    if (response.statusCode !== 200) throw new Error(`seed push failed: ${response.body}`);
    ids.push(...sales.map((sale) => cardOf(sale).id));
  }
  return ids;
}

function stateCounts(server: TestServer): Record<string, number> {
  const rows = server.sql.prepare('select state, count(*) as n from payments group by state').all() as {
    state: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(50);
  }
}

it('[I4][PAY-6] two worker processes drain one backlog on one SQLite file: every payment charged exactly once', async () => {
  const server = await startTestServer();
  const control = gatewayControl(simulator.controlUrl);
  try {
    const ids = await seedStoredPayments(server, 200);
    await control.setFault({ mode: 'up', latencyMs: 10 });
    const dataDir = dirname(server.config.database.file);
    const startAt = Date.now() + 3000;
    const workers = await Promise.all([startWorker(dataDir, startAt), startWorker(dataDir, startAt)]);
    await waitFor(() => stateCounts(server).captured === 200, 30_000, 'all 200 captured');
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));

    const ledger = await control.ledger();
    for (const id of ids) {
      expect(ledger.counts.byIdempotencyKey[id]).toBe(1);
      expect(ledger.counts.succeededByTillPaymentId[id]).toBe(1);
    }
    // Each payment was worked on by exactly one worker, once: the leases never overlapped.
    const perPayment = server.sql
      .prepare(
        'select payment_id, count(*) as n, count(distinct worker_id) as w from payment_attempts group by payment_id',
      )
      .all() as { n: number; w: number }[];
    expect(perPayment).toHaveLength(200);
    expect(perPayment.every((row) => row.n === 1 && row.w === 1)).toBe(true);
    const byWorker = server.sql
      .prepare('select worker_id, count(*) as n from payment_attempts group by worker_id')
      .all();
    expect(byWorker).toHaveLength(2); // both processes really drained
  } finally {
    await control.setFault({ mode: 'up' });
    await server.close();
  }
}, 60_000);

it('[I4][I5] a worker process killed (SIGKILL) mid-drain, then restarted on the same file: all captured, none twice', async () => {
  const server = await startTestServer();
  const control = gatewayControl(simulator.controlUrl);
  try {
    const ids = await seedStoredPayments(server, 120);
    // Slow enough that the kill lands with gateway calls in flight.
    await control.setFault({ mode: 'up', latencyMs: 60 });
    const dataDir = dirname(server.config.database.file);
    const leaseMs = 1500;
    const first = await startWorker(dataDir, Date.now(), leaseMs);
    await waitFor(() => (stateCounts(server).captured ?? 0) >= 30, 30_000, '30 captured');
    first.child.kill('SIGKILL');
    await first.exited;
    const inFlight = server.sql
      .prepare("select count(*) as n from payments where state = 'pending' and lease_owner is not null")
      .get() as { n: number };
    expect(inFlight.n).toBeGreaterThan(0); // the kill left leased payments behind
    expect(stateCounts(server).captured).toBeLessThan(120);

    // The restarted process reclaims them when their lease lapses; the retry reuses each key.
    const second = await startWorker(dataDir, Date.now(), leaseMs);
    await waitFor(() => stateCounts(server).captured === 120, 40_000, 'all 120 captured');
    second.child.kill('SIGTERM');
    await second.exited;

    const ledger = await control.ledger();
    for (const id of ids) {
      expect(ledger.counts.byIdempotencyKey[id]).toBe(1);
      expect(ledger.counts.succeededByTillPaymentId[id]).toBe(1);
    }
    expect(stateCounts(server)).toEqual({ captured: 120 });
  } finally {
    await control.setFault({ mode: 'up' });
    await server.close();
  }
}, 60_000);
