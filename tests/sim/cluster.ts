import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CURRENCY_EXPONENTS, defaultCardOfflineLimits, type StoreInfo } from '@till/shared';
import { type GatewayControl, gatewayControl } from '../../scripts/gateway-simulator/control-client.ts';
import { spawnGatewaySimulator } from '../../scripts/gateway-simulator/spawn.ts';
import { createEnrollmentCode, createTenantAndStore } from '../../sync-server/src/admin.ts';
import { DEMO_STORE, demoProducts } from '../../sync-server/src/seed.ts';
import { openLedger } from '../../sync-server/src/store/open-ledger.ts';
import { realSleep, type SimClock } from './clock.ts';
import { FaultProxy, type ProxyRequestInfo } from './fault-proxy.ts';
import { deriveSeed, Prng } from './prng.ts';
import type { Step, StoreProfile } from './schedule.ts';

/**
 * The processes of one run and the wiring between them:
 *
 *   tills ──► till proxy (faults) ──► sync server process ──► gateway proxy ──► gateway simulator
 *                                     (real app, SQLite file)   (kill triggers)    (its own process)
 *
 * The server is killed with SIGKILL and restarted on the same file; the proxies stay up (the
 * tills see a cut connection or a 502 while it is down). The gateway simulator outlives runs
 * (it is reset at the start of each), because starting it costs a second.
 */

const SERVER_ENTRY = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

/** The gateway simulator process, shared by the runs of one CLI or test file. */
export interface Gateway {
  apiUrl: string;
  controlUrl: string;
  control: GatewayControl;
  stop(): Promise<void>;
}

export async function startGateway(dataDir: string): Promise<Gateway> {
  mkdirSync(dataDir, { recursive: true });
  const simulator = await spawnGatewaySimulator({ dataFile: join(dataDir, 'gateway-simulator.sqlite') });
  return {
    apiUrl: simulator.apiUrl,
    controlUrl: simulator.controlUrl,
    control: gatewayControl(simulator.controlUrl),
    stop: async () => {
      await simulator.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ClusterOptions {
  dataDir: string;
  clock: SimClock;
  seed: number;
  tills: number;
  store: StoreProfile;
  gateway: Gateway;
  /** Real ms: the server's timeout on one gateway call (GATEWAY_TIMEOUT_MS). */
  gatewayTimeoutMs: number;
  /** Verbose notes (proxy faults, kills). */
  log?: (line: string) => void;
}

type CrashTrigger = Extract<Step, { kind: 'crash' }>['trigger'];

export interface ClusterStats {
  kills: number;
  restarts: number;
  /** Kills by what set them off: `push` (mid batch), `capture`, `gateway_call` (mid drain), `now`, or `timer` (no trigger came). */
  killsBy: Record<string, number>;
}

/** How long an armed kill waits for its trigger request before it fires anyway. */
const TRIGGER_FALLBACK_MS = 1_500;

export class Cluster {
  readonly stats: ClusterStats = { kills: 0, restarts: 0, killsBy: {} };
  readonly tillProxy: FaultProxy;
  readonly gatewayProxy: FaultProxy;
  readonly ledgerFile: string;
  store: StoreInfo | null = null;
  codes: string[] = [];
  proxyUrl = '';
  #gatewayProxyUrl = '';
  #serverUrl: string | null = null;
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  #armed: { trigger: CrashTrigger; delayMs: number; downMs: number; fallback: NodeJS.Timeout } | null = null;
  /** A kill or restart under way; the next crash waits for it, and `calm()` awaits it. */
  #crash: Promise<void> | null = null;
  #log: WriteStream;
  #starts = 0;
  readonly #options: ClusterOptions;

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.ledgerFile = join(options.dataDir, 'till.sqlite');
    const proxyRandom = new Prng(options.seed).fork('proxy');
    this.tillProxy = new FaultProxy({
      target: () => this.#serverUrl,
      random: proxyRandom,
      onForward: (info) => this.#seen('till', info),
      ...(options.log && { log: options.log }),
    });
    this.gatewayProxy = new FaultProxy({
      target: () => options.gateway.apiUrl,
      random: new Prng(options.seed).fork('gateway-proxy'),
      onForward: (info) => this.#seen('gateway', info),
    });
    this.#log = createWriteStream(join(options.dataDir, 'server.log'), { flags: 'a' });
  }

  /** Creates the store, its catalog and one enrollment code per till; starts proxies and server. */
  async start(): Promise<void> {
    const { store, tills } = this.#options;
    const ledger = await openLedger({ kind: 'sqlite', file: this.ledgerFile });
    try {
      const limits = { ...defaultCardOfflineLimits(CURRENCY_EXPONENTS.USD), ...store };
      const created = await createTenantAndStore(ledger, {
        tenantName: 'Sim Shop',
        store: { ...DEMO_STORE, code: 'SIM', name: 'Simulated Shop', cardOfflineLimits: limits },
      });
      await ledger.saveProducts(created.store.id, demoProducts());
      this.store = created.store;
      for (let i = 0; i < tills; i++) this.codes.push((await createEnrollmentCode(ledger, created.store.id, 60)).code);
    } finally {
      await ledger.close();
    }
    this.proxyUrl = await this.tillProxy.start();
    this.#gatewayProxyUrl = await this.gatewayProxy.start();
    await this.#startServer();
  }

  get serverUp(): boolean {
    return this.#serverUrl !== null;
  }

  /** A `crash` step: kill at once, or arm a kill on the next request of the trigger's kind. */
  crash(step: Extract<Step, { kind: 'crash' }>): void {
    if (this.#armed !== null || this.#crash !== null || !this.serverUp) return;
    if (step.trigger === 'now') {
      this.#crash = this.#killAndRestart(step.downMs, 'now');
      return;
    }
    const fallback = setTimeout(() => this.#fire('timer'), TRIGGER_FALLBACK_MS);
    this.#armed = { trigger: step.trigger, delayMs: step.delayMs, downMs: step.downMs, fallback };
  }

  /** Liveness: no more kills; the server is up when this resolves. */
  async calm(): Promise<void> {
    if (this.#armed) clearTimeout(this.#armed.fallback);
    this.#armed = null;
    while (this.#crash !== null) await this.#crash;
    if (!this.serverUp) await this.#startServer();
  }

  /** SIGTERM (graceful: in-flight pushes and captures finish), then the proxies. */
  async stop(): Promise<void> {
    await this.calm().catch(() => undefined);
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await this.#exited;
      clearTimeout(killer);
    }
    this.#serverUrl = null;
    await this.tillProxy.close();
    await this.gatewayProxy.close();
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }

  /** Kills the server at once without restarting it (a harness error path). */
  async abort(): Promise<void> {
    if (this.#armed) clearTimeout(this.#armed.fallback);
    this.#armed = null;
    this.#child?.kill('SIGKILL');
    await this.#exited;
    await this.tillProxy.close();
    await this.gatewayProxy.close();
    this.#log.end();
  }

  #seen(side: 'till' | 'gateway', info: ProxyRequestInfo): void {
    const armed = this.#armed;
    if (armed === null) return;
    const matches =
      side === 'till'
        ? (armed.trigger === 'push' && info.path.endsWith('/sync/push')) ||
          (armed.trigger === 'capture' && info.path.endsWith('/payments/capture'))
        : armed.trigger === 'gateway_call' && info.path.startsWith('/v1/payment_intents');
    if (!matches) return;
    clearTimeout(armed.fallback);
    if (armed.delayMs === 0) this.#fire(armed.trigger);
    else setTimeout(() => this.#fire(armed.trigger), armed.delayMs);
  }

  #fire(cause: string): void {
    const armed = this.#armed;
    if (armed === null) return;
    clearTimeout(armed.fallback);
    this.#armed = null;
    this.#crash = this.#killAndRestart(armed.downMs, cause);
  }

  async #killAndRestart(downMs: number, cause: string): Promise<void> {
    try {
      const child = this.#child;
      if (child && child.exitCode === null && child.signalCode === null) {
        this.#serverUrl = null;
        child.kill('SIGKILL');
        this.stats.kills += 1;
        this.stats.killsBy[cause] = (this.stats.killsBy[cause] ?? 0) + 1;
        await this.#exited;
      }
      await realSleep(downMs);
      await this.#startServer();
      this.stats.restarts += 1;
    } finally {
      this.#crash = null;
    }
  }

  async #startServer(): Promise<void> {
    const { dataDir, clock, seed, gatewayTimeoutMs } = this.#options;
    this.#starts += 1;
    const child = spawn(process.execPath, ['--import', TSX_LOADER, SERVER_ENTRY], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        TILL_DATA_DIR: dataDir,
        DATABASE_URL: '',
        PWA_DIR: join(dataDir, 'no-pwa'),
        LOG_LEVEL: 'warn',
        GATEWAY_URL: this.#gatewayProxyUrl,
        GATEWAY_TIMEOUT_MS: String(gatewayTimeoutMs),
        GATEWAY_RATE_PER_SECOND: '20',
        CAPTURE_WORKER: 'on',
        CAPTURE_CONCURRENCY: '4',
        SIM_SERVER_SEED: String(deriveSeed(seed, `server-${this.#starts}`)),
        // Simulated ms; longer than the simulator's slowest answer (2.5 s real = 25 s simulated).
        SIM_UNKNOWN_SETTLE_MS: '60000',
        ...clock.env(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const start = this.#starts;
    child.stderr?.on('data', (chunk: Buffer) => this.#log.write(`[start ${start} stderr] ${chunk.toString('utf8')}`));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sync server did not start within 30 s')), 30_000);
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        this.#log.write(`[start ${start}] ${line}\n`);
        if (!line.startsWith('SIM_SERVER_READY ')) return;
        clearTimeout(timer);
        resolve((JSON.parse(line.slice('SIM_SERVER_READY '.length)) as { url: string }).url);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the sync server exited (${code ?? signal}) before it was ready; see ${dataDir}/server.log`));
      });
    });
    this.#serverUrl = url;
  }
}
