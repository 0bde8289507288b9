/**
 * The reconnect storm: `npm run storm -- [--tills 200] [--sales 500] [--card-share 0.33] [--batch 100]`.
 * See README.md here. Prints a table, writes bench-results/storm.json, exits 1 when a goal is
 * missed (a 5xx, a timeout, a sale not stored once, a payment not captured, the time bound).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stormTable } from './report.ts';
import { DEFAULT_STORM, runStorm } from './run-storm.ts';

const USAGE = `Usage: npm run storm -- [options]
  --tills N            tills coming back online at once      (default ${DEFAULT_STORM.tills})
  --sales N            unsent sales per till                  (default ${DEFAULT_STORM.salesPerTill})
  --card-share X       share paid by a stored card, 0..1      (default ${DEFAULT_STORM.cardShare})
  --batch N            sales per push (the till's batch size) (default ${DEFAULT_STORM.batchSize})
  --gateway-rate N     gateway simulator limit, requests/s    (default ${DEFAULT_STORM.gatewayRate})
  --gateway-burst N    its token bucket size                  (default ${DEFAULT_STORM.gatewayBurst})
  --worker-rate N      capture worker rate, calls/s           (default ${DEFAULT_STORM.workerRate})
  --max-seconds N      bound from the release to the end      (default ${DEFAULT_STORM.maxSeconds})
  --till-backoff-cap MS  cap of the tills' exponential backoff (default ${DEFAULT_STORM.tillBackoffCapMs}, the engine's)
  --server-env K=V     extra server setting, repeatable (e.g. MAX_CONCURRENT_PUSHES=0 to turn shedding off)
  --out FILE           where to write the JSON                (default bench-results/storm.json)
  --keep-data          keep the ledger and gateway files
  --server-log FILE    write the server's log there (add --server-env LOG_LEVEL=info for a line per request)`;

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function positive(name: string, text: string | undefined, fallback: number, integer = true): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
  }
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tills: { type: 'string' },
      sales: { type: 'string' },
      'card-share': { type: 'string' },
      batch: { type: 'string' },
      'gateway-rate': { type: 'string' },
      'gateway-burst': { type: 'string' },
      'worker-rate': { type: 'string' },
      'max-seconds': { type: 'string' },
      'till-backoff-cap': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      out: { type: 'string' },
      'keep-data': { type: 'boolean' },
      'server-log': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const cardShare = positive('card-share', values['card-share'], DEFAULT_STORM.cardShare, false);
  if (cardShare > 1) throw new Error('--card-share must be at most 1');
  const serverEnv: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const [name, ...rest] = pair.split('=');
    if (!name || rest.length === 0) throw new Error(`--server-env wants NAME=VALUE, got "${pair}"`);
    serverEnv[name] = rest.join('=');
  }
  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.log('\ninterrupted: stopping the tills and the processes…');
    stop.abort();
  });
  const result = await runStorm({
    ...DEFAULT_STORM,
    tills: positive('tills', values.tills, DEFAULT_STORM.tills),
    salesPerTill: positive('sales', values.sales, DEFAULT_STORM.salesPerTill),
    cardShare,
    batchSize: positive('batch', values.batch, DEFAULT_STORM.batchSize),
    gatewayRate: positive('gateway-rate', values['gateway-rate'], DEFAULT_STORM.gatewayRate),
    gatewayBurst: positive('gateway-burst', values['gateway-burst'], DEFAULT_STORM.gatewayBurst),
    workerRate: positive('worker-rate', values['worker-rate'], DEFAULT_STORM.workerRate),
    maxSeconds: positive('max-seconds', values['max-seconds'], DEFAULT_STORM.maxSeconds),
    tillBackoffCapMs: positive('till-backoff-cap', values['till-backoff-cap'], DEFAULT_STORM.tillBackoffCapMs),
    serverEnv,
    keepData: values['keep-data'] ?? false,
    ...(values['server-log'] && { serverLogFile: resolve(values['server-log']) }),
    log: (line) => console.log(line),
    signal: stop.signal,
  });
  console.log(stormTable(result));
  const out = resolve(values.out ?? `${repoRoot}/bench-results/storm.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
  return result.pass ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    process.exitCode = 2;
  },
);
