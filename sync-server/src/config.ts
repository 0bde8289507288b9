import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAPTURE_QUEUE_SETTINGS, type CaptureQueueConfig, parseCaptureQueue } from './queue/queue-config.ts';
import { type MssqlDatabaseConfig, parseAdoConnectionString, parseMssqlUrl } from './store/mssql/connection-string.ts';

/**
 * The ONE place the server reads its environment. Everything else receives a validated
 * `TillConfig`, so tests build one from a plain object and nothing depends on the process.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Where the ledger lives: a SQLite file (one process or a shop), or Azure SQL (hosted, N instances). */
export type DatabaseConfig = SqliteDatabaseConfig | MssqlDatabaseConfig;

export interface SqliteDatabaseConfig {
  kind: 'sqlite';
  /** Absolute path of the SQLite file. */
  file: string;
}

/** A configuration known to use SQLite (tests, the demo, benchmarks read the file directly). */
export type SqliteTillConfig = TillConfig & { database: SqliteDatabaseConfig };

/** Where the ledger is, for a person (no password: the config never prints one). */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `SQLite ${database.file}`;
  const auth = database.auth.kind === 'password' ? `SQL login ${database.auth.user}` : 'Entra ID';
  return `Azure SQL ${database.server}:${database.port}/${database.database} (${auth})`;
}

/** `config` if its ledger is a SQLite file; throws otherwise (for SQLite-only tools and tests). */
export function requireSqlite(config: TillConfig): SqliteTillConfig {
  if (config.database.kind !== 'sqlite') {
    throw new Error(`This needs a SQLite ledger (DATABASE_URL=sqlite:…), not ${config.database.kind}`);
  }
  return config as SqliteTillConfig;
}

export interface TillConfig {
  port: number;
  host: string;
  /** Absolute directory for the server's own files (the SQLite ledger by default). */
  dataDir: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /**
   * Trust X-Forwarded-* from this many proxy hops (0: none). Behind App Service's front end (one
   * hop, TLS terminated there) it must be 1: the console's Secure cookie and Origin check need
   * the protocol and host the browser used.
   */
  trustProxyHops: number;
  /** Absolute directory of the built PWA; may not exist (then only the API is served). */
  pwaDir: string;
  enrollmentCodeTtlMinutes: number;
  gateway: GatewayConfig;
  captureWorker: CaptureWorkerConfig;
  /** Where the capture worker finds due payments: the SQL outbox, or Azure Service Bus. */
  captureQueue: CaptureQueueConfig;
  loadShedding: LoadSheddingConfig;
  console: ConsoleConfig;
  telemetry: TelemetryConfig;
}

/**
 * Where traces and metrics go (see `telemetry/start-telemetry.ts`): Application Insights when its
 * connection string is set, else an OTLP collector when its endpoint is set, else nowhere.
 */
export interface TelemetryConfig {
  exporter: 'azure-monitor' | 'otlp' | 'off';
  /** APPLICATIONINSIGHTS_CONNECTION_STRING: names the Application Insights resource. */
  connectionString: string | undefined;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: OTLP/HTTP base URL; `/v1/traces` and `/v1/metrics` are appended. */
  otlpEndpoint: string | undefined;
  /** service.name: the cloud role name in Application Insights. */
  serviceName: string;
  metricExportIntervalMs: number;
}

/** The manager console: sessions, sign-in limits, when a device counts as silent (SPEC MGR-2, MGR-4). */
export interface ConsoleConfig {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** Failed sign-ins per e-mail within the window before 429. */
  loginMaxFailuresPerEmail: number;
  /** Failed sign-ins per client address within the window before 429. */
  loginMaxFailuresPerIp: number;
  loginWindowMinutes: number;
  /** An active device not heard from for this long is raised as silent. */
  silentDeviceMinutes: number;
  /** Stored card payments expiring within this long are raised to managers. */
  expiryWarningMinutes: number;
  /** Lifetime of an enrollment code a manager makes (the same ENROLLMENT_CODE_TTL_MINUTES). */
  enrollmentCodeTtlMinutes: number;
}

/**
 * The payment gateway (a Stripe-compatible API: Stripe itself or the gateway simulator). With
 * no `url`, the server still runs: live capture answers 503 `gateway_unavailable` (the till
 * stores and forwards) and the capture worker idles until a gateway is configured.
 */
export interface GatewayConfig {
  /** Base URL of the gateway API, or undefined when none is configured. */
  url: string | undefined;
  /** Secret API key. Never logged (see `redactGatewayKey` and the logger's redaction paths). */
  apiKey: string;
  /** How long one gateway call may take before its outcome counts as unknown. */
  timeoutMs: number;
  /** Calls per second this server makes to the gateway (all of its workers together). */
  ratePerSecond: number;
}

export interface CaptureWorkerConfig {
  /** Whether this process runs a capture worker (several processes may, on one ledger). */
  enabled: boolean;
  /** Gateway calls one worker keeps in flight at once. */
  concurrency: number;
}

/**
 * Admission limits of the expensive routes, per process (SPEC SCALE-1…SCALE-6). `null` turns
 * shedding off for that route (MAX_CONCURRENT_… = 0): every request is let in.
 */
export interface LoadSheddingConfig {
  push: RouteLimits | null;
  capture: RouteLimits | null;
}

export interface RouteLimits {
  /** Requests doing work at once. */
  maxConcurrent: number;
  /** Requests that may wait for a slot (0: shed as soon as every slot is taken). */
  queueLimit: number;
  /** Longest a request waits in the queue before it is answered 429. */
  queueTimeoutMs: number;
}

/** The simulator's test key: a placeholder that is useless against a real gateway. */
export const DEMO_GATEWAY_API_KEY = 'sk_test_till_demo';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Every setting, for the README and `--help` texts. */
export const SETTINGS = [
  { name: 'PORT', default: '8080', description: 'TCP port; 0 picks a free one' },
  { name: 'HOST', default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 for all)' },
  { name: 'TILL_DATA_DIR', default: './data', description: 'Directory of the ledger file `till.sqlite`' },
  {
    name: 'DATABASE_URL',
    default: '(unset)',
    description:
      '`sqlite:/abs/path.sqlite` or `file:/abs/path.sqlite` (overrides the file in TILL_DATA_DIR), or Azure SQL: `mssql://user:password@host:1433/db` / `mssql://host/db?authentication=ActiveDirectoryManagedIdentity`',
  },
  {
    name: 'AZURE_SQL_CONNECTION_STRING',
    default: '(unset)',
    description:
      'Azure SQL as an ADO.NET connection string (`Server=tcp:x.database.windows.net,1433;Database=…;Authentication=Active Directory Default`); instead of DATABASE_URL',
  },
  {
    name: 'DATABASE_POOL_MAX',
    default: '10',
    description: 'Azure SQL connections this process keeps at most (overrides Max Pool Size in the connection string)',
  },
  { name: 'LOG_LEVEL', default: 'info', description: LOG_LEVELS.join(' | ') },
  { name: 'BODY_LIMIT_BYTES', default: String(2 * 1024 * 1024), description: 'Largest request body (413 above)' },
  {
    name: 'TRUST_PROXY_HOPS',
    default: '0',
    description:
      'Proxy hops whose X-Forwarded-For/-Proto/-Host are trusted (1 behind App Service or one load balancer)',
  },
  { name: 'PWA_DIR', default: '<repo>/pwa/dist', description: 'Built PWA to serve; if missing, API only' },
  { name: 'ENROLLMENT_CODE_TTL_MINUTES', default: '1440', description: 'How long a new enrollment code stays valid' },
  {
    name: 'GATEWAY_URL',
    default: '(unset)',
    description: 'Payment gateway API base URL (Stripe or the simulator); unset: live capture 503, worker idle',
  },
  { name: 'GATEWAY_API_KEY', default: DEMO_GATEWAY_API_KEY, description: 'Gateway secret key (never logged)' },
  { name: 'GATEWAY_TIMEOUT_MS', default: '4000', description: 'Timeout of one gateway call; after it: unknown' },
  {
    name: 'GATEWAY_RATE_PER_SECOND',
    default: '20',
    description: "Gateway calls per second; set under the gateway's limit",
  },
  { name: 'CAPTURE_WORKER', default: 'on', description: 'on | off: run the capture worker in this process' },
  { name: 'CAPTURE_CONCURRENCY', default: '8', description: 'Gateway calls the capture worker keeps in flight' },
  ...CAPTURE_QUEUE_SETTINGS,
  {
    name: 'MAX_CONCURRENT_PUSHES',
    default: '4',
    description: 'Pushes this process works on at once; more wait in the queue or get 429 (0: no limit)',
  },
  { name: 'PUSH_QUEUE_LIMIT', default: '16', description: 'Pushes that may wait for a slot; beyond: 429 at once' },
  { name: 'PUSH_QUEUE_TIMEOUT_MS', default: '2000', description: 'Longest a push waits in the queue, then 429' },
  {
    name: 'MAX_CONCURRENT_CAPTURES',
    default: '16',
    description: 'Live captures this process works on at once (0: no limit)',
  },
  { name: 'CAPTURE_QUEUE_LIMIT', default: '16', description: 'Live captures that may wait for a slot' },
  {
    name: 'CAPTURE_QUEUE_TIMEOUT_MS',
    default: '1000',
    description: 'Longest a live capture waits in the queue, then 429 (the till stores the payment)',
  },
  { name: 'MANAGER_SESSION_IDLE_MINUTES', default: '30', description: 'A console session ends after this long unused' },
  { name: 'MANAGER_SESSION_MAX_HOURS', default: '12', description: 'A console session ends this long after sign-in' },
  {
    name: 'LOGIN_MAX_FAILURES',
    default: '5',
    description: 'Failed sign-ins per e-mail within LOGIN_WINDOW_MINUTES before 429 (20 per address)',
  },
  { name: 'LOGIN_WINDOW_MINUTES', default: '15', description: 'Window of the sign-in rate limit' },
  { name: 'SILENT_DEVICE_MINUTES', default: '60', description: 'An active till not heard from this long is raised' },
  {
    name: 'EXPIRY_WARNING_MINUTES',
    default: '120',
    description: 'Stored card payments expiring within this long are raised to managers',
  },
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
    default: '(unset)',
    description: 'Send traces and metrics to this Application Insights resource (OpenTelemetry, Azure Monitor distro)',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: '(unset)',
    description: 'Else send them by OTLP/HTTP to this collector base URL; neither set: telemetry off',
  },
  {
    name: 'OTEL_SERVICE_NAME',
    default: 'till-sync-server',
    description: 'service.name (cloud role name) of the telemetry',
  },
  { name: 'OTEL_METRIC_EXPORT_INTERVAL', default: '60000', description: 'Milliseconds between metric exports' },
] as const;

/** A setting that cannot be used; the message says which and what is accepted. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the configuration. Collects every problem before failing, so one run
 * tells an operator everything to fix. `cwd` resolves relative paths (tests pass a temp dir).
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): TillConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const port = integer('PORT', 8080, 0, 65_535);
  const host = text('HOST') ?? '127.0.0.1';
  const dataDir = resolve(cwd, text('TILL_DATA_DIR') ?? './data');
  const database = parseDatabase(text('DATABASE_URL'), text('AZURE_SQL_CONNECTION_STRING'), dataDir, problems);
  if (database.kind === 'mssql' && text('DATABASE_POOL_MAX') !== undefined) {
    database.poolMax = integer('DATABASE_POOL_MAX', database.poolMax, 1, 200);
  }
  const logLevel = text('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const bodyLimitBytes = integer('BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024, 100 * 1024 * 1024);
  const trustProxyHops = integer('TRUST_PROXY_HOPS', 0, 0, 10);
  const pwaDir = resolve(cwd, text('PWA_DIR') ?? join(repoRoot, 'pwa', 'dist'));
  const enrollmentCodeTtlMinutes = integer('ENROLLMENT_CODE_TTL_MINUTES', 1440, 1, 60 * 24 * 90);
  const gateway: GatewayConfig = {
    url: parseGatewayUrl(text('GATEWAY_URL'), problems),
    apiKey: text('GATEWAY_API_KEY') ?? DEMO_GATEWAY_API_KEY,
    timeoutMs: integer('GATEWAY_TIMEOUT_MS', 4000, 50, 120_000),
    ratePerSecond: integer('GATEWAY_RATE_PER_SECOND', 20, 1, 10_000),
  };
  const workerSwitch = (text('CAPTURE_WORKER') ?? 'on').toLowerCase();
  if (workerSwitch !== 'on' && workerSwitch !== 'off') {
    problems.push(`CAPTURE_WORKER must be on or off, got "${workerSwitch}"`);
  }
  const captureWorker: CaptureWorkerConfig = {
    enabled: workerSwitch !== 'off',
    concurrency: integer('CAPTURE_CONCURRENCY', 8, 1, 256),
  };
  const captureQueue = parseCaptureQueue(text, integer, problems);

  const routeLimits = (
    names: { max: string; queue: string; timeout: string },
    defaults: RouteLimits,
  ): RouteLimits | null => {
    const maxConcurrent = integer(names.max, defaults.maxConcurrent, 0, 1024);
    const queueLimit = integer(names.queue, defaults.queueLimit, 0, 10_000);
    const queueTimeoutMs = integer(names.timeout, defaults.queueTimeoutMs, 1, 60_000);
    return maxConcurrent === 0 ? null : { maxConcurrent, queueLimit, queueTimeoutMs };
  };
  // Sized for 2 cores: a push is CPU (parse, validate, hash) plus one SQLite write transaction
  // that the process runs one at a time, so a few in flight keep the CPU busy and more only
  // queue up inside. Live captures mostly wait on the gateway, so more may be in flight.
  const loadShedding: LoadSheddingConfig = {
    push: routeLimits(
      { max: 'MAX_CONCURRENT_PUSHES', queue: 'PUSH_QUEUE_LIMIT', timeout: 'PUSH_QUEUE_TIMEOUT_MS' },
      { maxConcurrent: 4, queueLimit: 16, queueTimeoutMs: 2000 },
    ),
    capture: routeLimits(
      { max: 'MAX_CONCURRENT_CAPTURES', queue: 'CAPTURE_QUEUE_LIMIT', timeout: 'CAPTURE_QUEUE_TIMEOUT_MS' },
      { maxConcurrent: 16, queueLimit: 16, queueTimeoutMs: 1000 },
    ),
  };

  const loginMaxFailuresPerEmail = integer('LOGIN_MAX_FAILURES', 5, 1, 1000);
  const consoleConfig: ConsoleConfig = {
    sessionIdleMinutes: integer('MANAGER_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: integer('MANAGER_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    loginMaxFailuresPerEmail,
    loginMaxFailuresPerIp: loginMaxFailuresPerEmail * 4,
    loginWindowMinutes: integer('LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    silentDeviceMinutes: integer('SILENT_DEVICE_MINUTES', 60, 1, 60 * 24 * 30),
    expiryWarningMinutes: integer('EXPIRY_WARNING_MINUTES', 120, 1, 60 * 24 * 30),
    enrollmentCodeTtlMinutes,
  };

  const telemetry = parseTelemetry(text, integer, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    dataDir,
    database,
    logLevel: logLevel as LogLevel,
    bodyLimitBytes,
    trustProxyHops,
    pwaDir,
    enrollmentCodeTtlMinutes,
    gateway,
    captureWorker,
    captureQueue,
    loadShedding,
    console: consoleConfig,
    telemetry,
  };
}

function parseTelemetry(
  text: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): TelemetryConfig {
  const connectionString = text('APPLICATIONINSIGHTS_CONNECTION_STRING');
  if (connectionString !== undefined && !/(^|;)\s*(InstrumentationKey|IngestionEndpoint)=/i.test(connectionString)) {
    // Not echoed: the connection string is a credential of sorts.
    problems.push('APPLICATIONINSIGHTS_CONNECTION_STRING must look like InstrumentationKey=…;IngestionEndpoint=…');
  }
  let otlpEndpoint = text('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (otlpEndpoint !== undefined && !/^https?:\/\/[^/]/.test(otlpEndpoint)) {
    problems.push(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got "${otlpEndpoint}"`);
    otlpEndpoint = undefined;
  }
  return {
    exporter: connectionString !== undefined ? 'azure-monitor' : otlpEndpoint !== undefined ? 'otlp' : 'off',
    connectionString,
    otlpEndpoint,
    serviceName: text('OTEL_SERVICE_NAME') ?? 'till-sync-server',
    metricExportIntervalMs: integer('OTEL_METRIC_EXPORT_INTERVAL', 60_000, 100, 24 * 60 * 60 * 1000),
  };
}

function parseGatewayUrl(url: string | undefined, problems: string[]): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(`GATEWAY_URL must be an http(s) URL, got "${url}"`);
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.push(`GATEWAY_URL must be an http(s) URL, got "${url}"`);
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // A key in the URL would end up in logs and process listings; it belongs in GATEWAY_API_KEY.
    problems.push('GATEWAY_URL must not carry credentials; put the key in GATEWAY_API_KEY');
    return undefined;
  }
  return url.replace(/\/+$/, '');
}

/**
 * The ledger's database: AZURE_SQL_CONNECTION_STRING (ADO.NET), or DATABASE_URL (`sqlite:`,
 * `file:` or `mssql:`), or the SQLite file in TILL_DATA_DIR. Azure SQL settings may carry a
 * password: no message repeats them (see `store/mssql/connection-string.ts`).
 */
function parseDatabase(
  url: string | undefined,
  connectionString: string | undefined,
  dataDir: string,
  problems: string[],
): DatabaseConfig {
  const fallback: DatabaseConfig = { kind: 'sqlite', file: join(dataDir, 'till.sqlite') };
  if (connectionString !== undefined) {
    if (url !== undefined) {
      problems.push('Set DATABASE_URL or AZURE_SQL_CONNECTION_STRING, not both');
      return fallback;
    }
    return parseAdoConnectionString(connectionString, problems) ?? fallback;
  }
  if (url !== undefined && /^mssql:/i.test(url)) return parseMssqlUrl(url, problems) ?? fallback;
  return parseDatabaseUrl(url, fallback, problems);
}

function parseDatabaseUrl(url: string | undefined, fallback: DatabaseConfig, problems: string[]): DatabaseConfig {
  if (url === undefined) return fallback;
  const match = /^(sqlite|file):(?:\/\/)?(.+)$/.exec(url);
  if (!match) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    problems.push(
      scheme
        ? `DATABASE_URL scheme "${scheme}:" is not supported; use sqlite:/absolute/path.sqlite or mssql://host/database`
        : `DATABASE_URL must look like sqlite:/absolute/path.sqlite or mssql://host/database`,
    );
    return fallback;
  }
  const file = match[2] ?? '';
  if (!isAbsolute(file)) {
    problems.push(`DATABASE_URL must name an absolute file path, got "${url}"`);
    return fallback;
  }
  return { kind: 'sqlite', file };
}
