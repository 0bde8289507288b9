import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

/**
 * A sync-server process whose capture worker drains a shared ledger, for the multi-process and
 * crash tests. Usage: node --import tsx capture-worker-process.ts <dataDir> <gatewayUrl> <startAt> [leaseMs]
 * Prints `WORKER_READY` once built; starts its worker at `startAt` (epoch ms); stops on SIGTERM.
 */
const [dataDir, gatewayUrl, startAt, leaseMs] = process.argv.slice(2);
if (dataDir === undefined || gatewayUrl === undefined || startAt === undefined) {
  throw new Error('usage: capture-worker-process <dataDir> <gatewayUrl> <startAt> [leaseMs]');
}
const config = loadConfig({
  TILL_DATA_DIR: dataDir,
  PWA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  GATEWAY_URL: gatewayUrl,
  GATEWAY_RATE_PER_SECOND: '400',
  GATEWAY_TIMEOUT_MS: '2000',
  CAPTURE_WORKER: 'off', // started below, at the shared start time
  CAPTURE_CONCURRENCY: '6',
});
const app = await buildApp({ config, ...(leaseMs !== undefined && { captureLeaseMs: Number(leaseMs) }) });
const worker = app.captureWorker;
if (worker === null) throw new Error('no capture worker: is GATEWAY_URL set?');
process.stdout.write('WORKER_READY\n');
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => app.close())
    .then(() => {
      process.stdout.write(`WORKER_STATS ${JSON.stringify(worker.stats)}\n`);
      process.exit(0);
    });
});
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
worker.start();
