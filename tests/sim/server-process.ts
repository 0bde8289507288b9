/**
 * The sync server as the simulation runs it: the real app (`buildApp`) on the real SQLite file,
 * configured by the same environment variables as `sync-server/src/server.ts` (`loadConfig`),
 * plus three seams the app already offers for tests — the clock, `sleep` and `random` — so
 * that it runs on the simulation's scaled clock (see clock.ts) and its jitter comes from the
 * run's seed. Nothing else differs from production — same plugins, routes, store, worker,
 * breaker and retry policy — except, when SIM_UNKNOWN_SETTLE_MS is set, the window in which a
 * lookup that finds no charge is not yet conclusive (the simulator's search has no lag and its
 * slowest answer is seconds, so the simulation shortens it from 5 min to keep runs short).
 *
 * Usage: node --import tsx tests/sim/server-process.ts   (env: PORT, TILL_DATA_DIR, GATEWAY_URL,
 * SIM_CLOCK_*, SIM_SERVER_SEED, SIM_UNKNOWN_SETTLE_MS). Prints `SIM_SERVER_READY {"url":…,"pid":…}` once listening;
 * SIGTERM closes it gracefully. The simulation kills it with SIGKILL at random points.
 */
import { buildApp } from '../../sync-server/src/app.ts';
import { loadConfig } from '../../sync-server/src/config.ts';
import { SimClock } from './clock.ts';
import { Prng } from './prng.ts';

const clock = SimClock.fromEnv(process.env);
const random = new Prng(Number(process.env.SIM_SERVER_SEED ?? '1')).asFunction();
const config = loadConfig(process.env);
const settle = process.env.SIM_UNKNOWN_SETTLE_MS;
const app = await buildApp({
  config,
  now: () => new Date(clock.now()),
  sleep: (ms, signal) => clock.sleep(ms, signal),
  random,
  ...(settle !== undefined && { retryPolicy: { unknownSettleMs: Number(settle) } }),
});
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : config.port;
process.stdout.write(
  `SIM_SERVER_READY ${JSON.stringify({ url: `http://${config.host}:${port}`, pid: process.pid })}\n`,
);
process.once('SIGTERM', () => {
  void app.close().finally(() => process.exit(0));
});
