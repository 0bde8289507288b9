/**
 * The classic peer: the same backlog of sales replicated by PouchDB and pushed by Till, side by
 * side — time and bytes on the wire.
 *
 *   npx tsx scripts/bench/pouchdb.ts [--docs 10000] [--runs 5] [--no-pin]
 *
 * Backlog: N chained, sealed cash sales (the documents Till pushes; PouchDB stores each as a
 * document with `_id` = the sale id). Each run starts a fresh server:
 * - Till: the real server process (scripts/start-demo.ts; SQLite WAL + synchronous=FULL), one
 *   device pushing the backlog in batches of 100 and of 200 (the protocol's maximum,
 *   MAX_SALES_PER_PUSH: Till cannot send 500) over one keep-alive connection (Node's fetch);
 * - PouchDB: pouchdb-node 9 (leveldb on disk, loaded before the clock starts) replicating to
 *   pouchdb-server 4.2.0 (leveldb; its log level `none`), `batch_size` 100 and 500
 *   (`batches_limit` 10, the default), with pouchdb-node's default fetch (no keep-alive: a TCP
 *   connection per request) and with a keep-alive agent.
 * Every server sits behind a counting TCP proxy in this process (bytes both ways, connections).
 * Unless --no-pin, servers run on CPU 1 (taskset) and this process (client + proxy) on CPU 0;
 * the median of the runs is reported. Durability differs and is stated: Till fsyncs every batch
 * (synchronous=FULL); leveldb in PouchDB does not fsync writes by default.
 * Appends to bench-results/pouchdb.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { API_PREFIX, PROTOCOL_VERSION, type PushResponse, type Sale, uuidv7 } from '@till/shared';
import { startCountingProxy, type WireCount } from './support/byte-counter.ts';
import { loadPouchClient, type PouchStatic, remoteDatabase, startPouchServer } from './support/pouchdb-peer.ts';
import {
  appendResult,
  kB,
  machine,
  median,
  positiveInt,
  printTable,
  printVerdicts,
  round,
  type Verdict,
} from './support/results.ts';
import { batches, chainedCashSales } from './support/sales.ts';
import { enrollDevice, startTillServer } from './support/till-server.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string' },
    runs: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const docs = positiveInt('docs', values.docs, 10_000);
const runs = positiveInt('runs', values.runs, 5);
const pin = !values['no-pin'] && cpus().length >= 2;
const serverCpu = pin ? 1 : undefined;
if (pin) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

interface Variant {
  name: string;
  peer: 'till' | 'pouchdb';
  batch: number;
  keepAlive: boolean;
}
const VARIANTS: Variant[] = [
  { name: 'Till push, batch 100', peer: 'till', batch: 100, keepAlive: true },
  { name: 'Till push, batch 200 (max)', peer: 'till', batch: 200, keepAlive: true },
  { name: 'PouchDB, batch_size 100', peer: 'pouchdb', batch: 100, keepAlive: false },
  { name: 'PouchDB, batch_size 500', peer: 'pouchdb', batch: 500, keepAlive: false },
  { name: 'PouchDB + keep-alive, batch_size 100', peer: 'pouchdb', batch: 100, keepAlive: true },
  { name: 'PouchDB + keep-alive, batch_size 500', peer: 'pouchdb', batch: 500, keepAlive: true },
];

interface Measured {
  seconds: number;
  wire: WireCount;
}

async function tillRun(backlog: Sale[], batch: number): Promise<Measured> {
  const server = await startTillServer({
    cpu: serverCpu,
    env: { CAPTURE_WORKER: 'off', GATEWAY_URL: 'http://127.0.0.1:9' },
  });
  const { hostname, port } = new URL(server.url);
  const proxy = await startCountingProxy({ host: hostname, port: Number(port) });
  try {
    const device = await enrollDevice(proxy.url, server.enrollmentCode);
    if (device.deviceNo !== 1) throw new Error('the backlog was sealed for device 1 of a fresh server');
    const headers = { authorization: `Bearer ${device.deviceToken}`, 'content-type': 'application/json' };
    proxy.reset();
    const started = performance.now();
    for (const chunk of batches(backlog, batch)) {
      const body = JSON.stringify({ protocolVersion: PROTOCOL_VERSION, batchId: uuidv7(), sales: chunk });
      const response = await fetch(`${proxy.url}${API_PREFIX}/sync/push`, { method: 'POST', headers, body });
      const answer = (await response.json()) as PushResponse;
      if (response.status !== 200 || answer.results.some((r) => r.status !== 'new')) {
        throw new Error(`push answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, wire: proxy.counts() };
  } finally {
    await proxy.close();
    await server.stop();
  }
}

async function pouchRun(PouchDB: PouchStatic, local: InstanceType<PouchStatic>, variant: Variant): Promise<Measured> {
  const server = await startPouchServer({ cpu: serverCpu });
  const proxy = await startCountingProxy({ host: server.host, port: server.port });
  try {
    // The database is created directly, not through the proxy: replication alone is counted,
    // and every connection it uses is opened while counting.
    const direct = new PouchDB(`http://${server.host}:${server.port}/sales`);
    await direct.info();
    const remote = remoteDatabase(PouchDB, `${proxy.url}/sales`, variant.keepAlive);
    proxy.reset();
    const started = performance.now();
    const result = await PouchDB.replicate(local, remote, { batch_size: variant.batch, batches_limit: 10 });
    const seconds = (performance.now() - started) / 1000;
    const wire = proxy.counts();
    if (!result.ok || result.docs_written !== docs) {
      throw new Error(`replication wrote ${result.docs_written} of ${docs} (${result.errors.length} errors)`);
    }
    const { doc_count } = await direct.info();
    if (doc_count !== docs) throw new Error(`pouchdb-server holds ${doc_count} of ${docs} documents`);
    await remote.close();
    await direct.close();
    return { seconds, wire };
  } finally {
    await proxy.close();
    await server.stop();
  }
}

// The backlog, sealed once for device 1 of the demo store (what every fresh server enrolls first).
const first = await startTillServer({ env: { CAPTURE_WORKER: 'off', GATEWAY_URL: 'http://127.0.0.1:9' } });
const backlog = await chainedCashSales(await enrollDevice(first.url, first.enrollmentCode), docs);
await first.stop();

const PouchDB = loadPouchClient();
const clientDir = mkdtempSync(join(tmpdir(), 'till-bench-pouchdb-client-'));
const local = new PouchDB(join(clientDir, 'sales'));
for (const chunk of batches(backlog, 1000)) {
  const written = await local.bulkDocs(chunk.map((sale) => ({ _id: sale.id, ...sale })));
  if (written.some((row) => row.error)) throw new Error('loading the local PouchDB failed');
}

const measured = new Map<Variant, Measured[]>(VARIANTS.map((v) => [v, []]));
try {
  for (let run = 1; run <= runs; run++) {
    for (const variant of VARIANTS) {
      const result =
        variant.peer === 'till' ? await tillRun(backlog, variant.batch) : await pouchRun(PouchDB, local, variant);
      measured.get(variant)?.push(result);
      console.log(
        `  run ${run}, ${variant.name}: ${round(result.seconds, 2)} s, ${kB(result.wire.up + result.wire.down)}, ${result.wire.connections} connections`,
      );
    }
  }
} finally {
  await local.destroy();
  rmSync(clientDir, { recursive: true, force: true });
}

const figures = VARIANTS.map((variant) => {
  const list = measured.get(variant) ?? [];
  const seconds = median(list.map((m) => m.seconds));
  const up = median(list.map((m) => m.wire.up));
  const down = median(list.map((m) => m.wire.down));
  return {
    variant: variant.name,
    batch: variant.batch,
    keepAlive: variant.keepAlive,
    seconds: round(seconds, 2),
    salesPerSecond: round(docs / seconds, 0),
    bytesUp: up,
    bytesDown: down,
    bytesPerSale: round((up + down) / docs, 0),
    connections: median(list.map((m) => m.wire.connections)),
    runsSeconds: list.map((m) => round(m.seconds, 2)),
  };
});
printTable(
  `${docs} sales, client → server on loopback, median of ${runs} runs${pin ? ', servers on CPU 1 and client + proxy on CPU 0 (taskset)' : ''}`,
  [
    ['', 'time      sales/s   up / down (wire)         bytes/sale  connections', ''],
    ...figures.map(
      (f) =>
        [
          f.variant,
          `${`${f.seconds} s`.padEnd(9)} ${String(f.salesPerSecond).padEnd(9)} ${`${kB(f.bytesUp)} / ${kB(f.bytesDown)}`.padEnd(24)} ${String(f.bytesPerSale).padEnd(11)} ${f.connections}`,
          '',
        ] as const,
    ),
  ],
);
const byName = (name: string) => figures.find((f) => f.variant === name);
const compare = (tillName: string, pouchName: string): Verdict | null => {
  const t = byName(tillName);
  const p = byName(pouchName);
  if (!t || !p) return null;
  return {
    what: `${tillName} vs ${pouchName}`,
    figure: `time ${t.seconds} s vs ${p.seconds} s (Till takes ${round(t.seconds / p.seconds, 2)}× PouchDB's time); wire ${kB(t.bytesUp + t.bytesDown)} vs ${kB(p.bytesUp + p.bytesDown)} (Till ${round((1 - (t.bytesUp + t.bytesDown) / (p.bytesUp + p.bytesDown)) * 100, 0)} % fewer bytes)`,
    baseline: `PouchDB ${p.salesPerSecond} sales/s, ${p.bytesPerSale} B/sale, ${p.connections} connections`,
    goal: 'none (comparison)',
    met: null,
  };
};
const verdicts = [
  compare('Till push, batch 100', 'PouchDB, batch_size 100'),
  compare('Till push, batch 100', 'PouchDB + keep-alive, batch_size 100'),
  compare('Till push, batch 200 (max)', 'PouchDB, batch_size 500'),
].filter((v): v is Verdict => v !== null);
printVerdicts(verdicts);
const file = appendResult('pouchdb', {
  at: new Date().toISOString(),
  machine: machine(),
  method: `${runs} runs of each variant, fresh server per run, median reported; ${pin ? 'servers pinned to CPU 1, client and counting proxy to CPU 0 (taskset)' : 'not pinned'}; bytes counted by a TCP proxy (both directions, headers included); durability differs: Till fsyncs every batch (SQLite WAL + synchronous=FULL), PouchDB's leveldb does not fsync writes`,
  verdicts,
  details: {
    header: ['variant', 'time (median)', 'sales/s', 'bytes up', 'bytes down', 'bytes/sale', 'connections', 'runs (s)'],
    rows: figures.map((f) => [
      f.variant,
      `${f.seconds} s`,
      String(f.salesPerSecond),
      kB(f.bytesUp),
      kB(f.bytesDown),
      String(f.bytesPerSale),
      String(f.connections),
      f.runsSeconds.join(', '),
    ]),
  },
  docs,
  pinned: pin,
  durability: 'Till: SQLite WAL + synchronous=FULL (fsync per batch). PouchDB: leveldb, no fsync per write (default).',
  figures,
});
console.log(`\nappended to ${file}`);
