/**
 * How fast does the capture worker drain a backlog against a rate-limited gateway, and does it
 * stay under the limit and charge each payment once?
 *
 *   npx tsx scripts/bench/drain.ts [--n 2000] [--rate 100] [--worker-rate 95] [--burst 10] [--concurrency 8]
 *
 * Seeds N stored card payments through the push endpoint (200 sales a batch), starts the gateway
 * simulator as its own process limited to `rate` requests/s (token bucket of `burst`), then runs
 * the server's capture worker at `worker-rate` (default 95 % of `rate`) until nothing is left.
 * Reports elapsed time against the floor N/rate (goal ≤ 1.1·N/rate + 2 s), the share of gateway
 * answers that were 429 (goal ≤ 1 %) and duplicate charges from the simulator's ledger (must be
 * 0). Prints a table and appends the figures to bench-results/drain.json. A benchmark, not a test.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  API_PREFIX,
  computeSaleTotals,
  type EnrollResponse,
  formatReceiptNo,
  GENESIS_HASH,
  PROTOCOL_VERSION,
  type Sale,
  type SaleLine,
  sealRecord,
  type UnsealedSale,
  uuidv7,
} from '@till/shared';
import { createEnrollmentCode } from '../../sync-server/src/admin.ts';
import { buildApp } from '../../sync-server/src/app.ts';
import { loadConfig, requireSqlite } from '../../sync-server/src/config.ts';
import { seedDemo } from '../../sync-server/src/seed.ts';
import { gatewayControl } from '../gateway-simulator/control-client.ts';
import { spawnGatewaySimulator } from '../gateway-simulator/spawn.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '100' },
    'worker-rate': { type: 'string' },
    burst: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
  },
});
const n = Number(values.n);
const rate = Number(values.rate);
const workerRate = Number(values['worker-rate'] ?? Math.floor(rate * 0.95));
const burst = Number(values.burst);
const concurrency = Number(values.concurrency);
for (const [name, value] of Object.entries({ n, rate, workerRate, burst, concurrency })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dataDir = mkdtempSync(join(tmpdir(), 'till-bench-drain-'));
const LINES: SaleLine[] = [
  { lineNo: 1, productId: null, sku: 'COF-004', name: 'Latte', qty: 2, unitPrice: 450, discount: 0, taxRateBp: 825 },
];

const simulator = await spawnGatewaySimulator({ dataFile: join(dataDir, 'gateway-simulator.sqlite') });
const control = gatewayControl(simulator.controlUrl);
const config = requireSqlite(
  loadConfig({
    TILL_DATA_DIR: dataDir,
    PWA_DIR: join(dataDir, 'none'),
    LOG_LEVEL: 'warn',
    GATEWAY_URL: simulator.apiUrl,
    GATEWAY_RATE_PER_SECOND: String(workerRate),
    CAPTURE_WORKER: 'off', // started by hand once the backlog is seeded
    CAPTURE_CONCURRENCY: String(concurrency),
  }),
);
const app = await buildApp({ config });
try {
  // 1. Seed: N stored card payments, through the push endpoint like a till coming back online.
  const seedStarted = performance.now();
  const { store } = await seedDemo(app.ledger);
  const { code } = await createEnrollmentCode(app.ledger, store.id, 60);
  const enrolled = await app.inject({
    method: 'POST',
    url: `${API_PREFIX}/devices/enroll`,
    payload: { code, deviceName: 'bench till', appVersion: 'bench' },
  });
  const device = enrolled.json<EnrollResponse>();
  const headers = { authorization: `Bearer ${device.deviceToken}` };
  const totals = computeSaleTotals(LINES, store.taxMode);
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; ) {
    const sales: Sale[] = [];
    for (; seq <= n && sales.length < 200; seq += 1) {
      const unsealed: UnsealedSale = {
        id: uuidv7(),
        deviceSeq: seq,
        prevHash,
        receiptNo: formatReceiptNo(store.code, device.deviceNo, seq),
        createdAt: new Date().toISOString(),
        currency: store.currency,
        taxMode: store.taxMode,
        lines: LINES,
        totals,
        tenders: [
          {
            id: uuidv7(),
            kind: 'card',
            amount: totals.total,
            brand: 'visa',
            last4: '4242',
            gatewayToken: 'pm_card_visa',
            entry: 'stored',
            gatewayRef: null,
            storedReason: 'gateway_unavailable',
          },
        ],
      };
      const sale = await sealRecord(unsealed);
      prevHash = sale.hash;
      sales.push(sale);
    }
    const pushed = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/push`,
      headers,
      payload: { protocolVersion: PROTOCOL_VERSION, batchId: uuidv7(), sales },
    });
    if (pushed.statusCode !== 200) throw new Error(`seed push failed: ${pushed.statusCode} ${pushed.body}`);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  if ((await app.ledger.paymentBacklog()) !== n) throw new Error('seeding did not queue N payments');

  // 2. Drain against a gateway limited to `rate`/s.
  await control.setFault({ mode: 'up', ratePerSecond: rate, burst });
  const worker = app.captureWorker;
  if (worker === null) throw new Error('no capture worker');
  const started = performance.now();
  worker.start();
  while ((await app.ledger.paymentBacklog()) > 0) await new Promise((done) => setTimeout(done, 25));
  const elapsed = (performance.now() - started) / 1000;
  await worker.stop();

  // 3. Figures: from our attempt log and from the simulator's ledger.
  const captured = (await app.ledger.listPayments({ states: ['captured'], limit: n + 1 })).length;
  const attempts = await countAttempts(config.database.file);
  const ledger = await control.ledger();
  const duplicateIntents = Object.values(ledger.counts.byIdempotencyKey).reduce(
    (sum, c) => sum + Math.max(0, c - 1),
    0,
  );
  const duplicateCharges = Object.values(ledger.counts.succeededByTillPaymentId).reduce(
    (sum, c) => sum + Math.max(0, c - 1),
    0,
  );
  const floor = n / rate;
  const goal = 1.1 * floor + 2;
  const share429 = attempts.calls === 0 ? 0 : attempts.rateLimited / attempts.calls;
  const result = {
    at: new Date().toISOString(),
    n,
    gatewayRatePerSecond: rate,
    gatewayBurst: burst,
    workerRatePerSecond: workerRate,
    concurrency,
    seedSeconds: round(seedSeconds),
    elapsedSeconds: round(elapsed),
    floorSeconds: round(floor),
    goalSeconds: round(goal),
    throughputPerSecond: round(n / elapsed),
    gatewayCalls: attempts.calls,
    rateLimited429: attempts.rateLimited,
    share429: round(share429, 4),
    otherFailures: attempts.failures,
    captured,
    duplicateIntents,
    duplicateCharges,
    pass: elapsed <= goal && share429 <= 0.01 && duplicateCharges === 0 && duplicateIntents === 0 && captured === n,
    machine: `${cpus().length} cpu, node ${process.version}`,
  };
  printTable(result);
  const outDir = join(repoRoot, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'drain.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]) : [];
  writeFileSync(file, `${JSON.stringify([...previous, result], null, 2)}\n`);
  console.log(`\nappended to ${file}`);
  if (!result.pass) process.exitCode = 1;
} finally {
  await app.close();
  await simulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

async function countAttempts(file: string): Promise<{ calls: number; rateLimited: number; failures: number }> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare(
        `select count(*) as calls,
                sum(case when code = 'rate_limited' then 1 else 0 end) as rateLimited,
                sum(case when outcome not in ('captured', 'declined', 'not_found') then 1 else 0 end) as failures
         from payment_attempts where outcome not in ('circuit_open', 'expired')`,
      )
      .get() as { calls: number; rateLimited: number | null; failures: number | null };
    return { calls: row.calls, rateLimited: row.rateLimited ?? 0, failures: row.failures ?? 0 };
  } finally {
    db.close();
  }
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

function printTable(result: Record<string, unknown>): void {
  const rows: [string, unknown, string][] = [
    ['payments drained', result.n, ''],
    ['gateway limit', `${result.gatewayRatePerSecond}/s (burst ${result.gatewayBurst})`, ''],
    ['worker rate, concurrency', `${result.workerRatePerSecond}/s, ${result.concurrency}`, ''],
    ['seeding (push endpoint)', `${result.seedSeconds} s`, ''],
    ['elapsed', `${result.elapsedSeconds} s`, `floor ${result.floorSeconds} s, goal ≤ ${result.goalSeconds} s`],
    ['throughput', `${result.throughputPerSecond}/s`, ''],
    ['gateway calls', result.gatewayCalls, ''],
    ['429 answers', `${result.rateLimited429} (${round(Number(result.share429) * 100, 2)} %)`, 'goal ≤ 1 %'],
    ['other failed calls', result.otherFailures, ''],
    ['captured', result.captured, `of ${result.n}`],
    ['duplicate charges', `${result.duplicateCharges} (extra intents: ${result.duplicateIntents})`, 'must be 0'],
    ['verdict', result.pass ? 'PASS' : 'FAIL', ''],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nbench-drain (${result.machine})`);
  for (const [label, value, note] of rows) console.log(`  ${label.padEnd(width)}  ${String(value).padEnd(28)} ${note}`);
}
