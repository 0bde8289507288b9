/**
 * Transient faults of Azure SQL, and the one retry loop the ledger runs them through.
 *
 * Microsoft's guidance for Azure SQL ("Troubleshoot transient connection errors"; the baseline
 * list of Microsoft.Data.SqlClient's retry providers): a fault during a command is not retried
 * on the same connection; after a delay a fresh connection is made and the work runs again.
 * Inside a transaction "the work" is the whole transaction: the server has rolled it back (or
 * will, when the session dies), so retrying the failed statement alone would apply half of it.
 */

/** Error numbers retried, with what they mean. */
export const TRANSIENT_ERROR_NUMBERS: ReadonlyMap<number, string> = new Map([
  [40613, 'database not currently available (reconfiguration, failover)'],
  [40197, 'the service encountered an error processing the request (failover, upgrade)'],
  [40501, 'the service is currently busy'],
  [49918, 'not enough resources to process the request'],
  [49919, 'too many create or update operations in progress'],
  [49920, 'too many operations in progress'],
  [4060, 'cannot open database requested by the login (database moving)'],
  [4221, 'login to read-secondary failed: long wait on HADR_DATABASE_WAIT_FOR_TRANSITION_TO_VERSIONING'],
  [10928, 'resource limit reached (sessions or workers)'],
  [10929, 'resource limit: minimum guarantee not met'],
  [10053, 'transport-level error: connection aborted'],
  [10054, 'transport-level error: connection reset by peer'],
  [10060, 'network-related error: connection timed out'],
  [233, 'connection established, then lost during login'],
  [64, 'connection lost during login (specified network name no longer available)'],
  [1205, 'deadlock victim: the transaction was rolled back'],
]);

/** Deadlocks are settled in milliseconds: the winner commits, the loser may go again at once. */
const CONTENTION_ERROR_NUMBERS = new Set([1205]);

/** A duplicate key on a client-made id: a concurrent transaction inserted the same row first. */
export const DUPLICATE_KEY_ERROR_NUMBERS = new Set([2627, 2601]);

/**
 * tedious `code`s of a connection that is gone: socket errors, a reset, a connect/request
 * timeout (tedious cancels the statement; with XACT_ABORT ON the server rolls the transaction
 * back), a request cut off by the close, or a request made on a connection that has ended.
 */
const DROPPED_CONNECTION_CODES = new Set(['ESOCKET', 'ECONNRESET', 'ETIMEOUT', 'ECLOSE', 'EINVALIDSTATE']);

/**
 * - `transient`: retry the whole transaction on a fresh connection after an exponential delay;
 * - `contention`: deadlock victim, retry soon;
 * - `duplicate_key`: a lost insert race on a client id, retry soon (a few times only): the next
 *   run reads the winner's row and answers "already there";
 * - `fatal`: anything else (a constraint the code did not expect, a bug, a bad login) surfaces
 *   at once.
 */
export type FaultKind = 'transient' | 'contention' | 'duplicate_key' | 'fatal';

interface SqlErrorShape {
  number?: unknown;
  code?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/**
 * What a failure from the tedious/Kysely stack is. Looks through what wraps the real error:
 * tedious' AggregateError (several server messages for one statement), an array of errors
 * (Kysely hands those on as they are), and `cause` chains (the migrator wraps its error).
 */
export function classifyFault(error: unknown): FaultKind {
  let duplicate = false;
  let contention = false;
  let transient = false;
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 8) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const shape = value as SqlErrorShape;
    if (typeof shape.number === 'number') {
      if (CONTENTION_ERROR_NUMBERS.has(shape.number)) contention = true;
      else if (TRANSIENT_ERROR_NUMBERS.has(shape.number)) transient = true;
      else if (DUPLICATE_KEY_ERROR_NUMBERS.has(shape.number)) duplicate = true;
    }
    if (typeof shape.code === 'string' && DROPPED_CONNECTION_CODES.has(shape.code)) transient = true;
    if (Array.isArray(shape.errors)) visit(shape.errors, depth + 1);
    if (shape.cause !== undefined) visit(shape.cause, depth + 1);
  };
  visit(error, 0);
  // A transient fault explains any other message that came with it; a duplicate key is only a
  // lost race when nothing worse happened.
  if (transient) return 'transient';
  if (contention) return 'contention';
  if (duplicate) return 'duplicate_key';
  return 'fatal';
}

export interface RetryPolicy {
  /** Runs at most, the first one included. */
  maxAttempts: number;
  /** First delay after a transient fault; doubles per retry. */
  baseDelayMs: number;
  /** First delay after a deadlock or a lost insert race; doubles per retry. */
  contentionDelayMs: number;
  /** No single delay is longer. */
  maxDelayMs: number;
  /** No retry starts after this long since the first run began: the caller gets the fault. */
  budgetMs: number;
  /** Re-runs after duplicate-key errors at most (a real bug must not loop). */
  maxDuplicateKeyRetries: number;
}

/**
 * Exponential backoff with jitter: 1 s, 2 s, 4 s, 8 s (each between half and all of that),
 * within 12 s. Microsoft's guidance for a client that owns the retry loop is a first wait of
 * seconds, growing exponentially up to about a minute. Here the till owns the outer loop: a
 * push that fails after this budget answers 5xx, changes nothing on the till, and the till
 * retries later with its own backoff (minutes). So the server retries for about as long as the
 * till waits for an answer (15 s) — enough for a deadlock, a throttle or a short failover — and
 * leaves longer outages to the till instead of holding requests and connections.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  contentionDelayMs: 50,
  maxDelayMs: 8000,
  budgetMs: 12_000,
  maxDuplicateKeyRetries: 2,
};

/** What a retry loop needs from the world; injected so tests drive time and chance. */
export interface RetryEnvironment {
  sleep(ms: number): Promise<void>;
  /** In [0, 1). */
  random(): number;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Told before each wait (for a log line or a counter). Never given query text or parameters. */
  onRetry?(retry: RetryNotice): void;
}

export interface RetryNotice {
  /** The run that failed, from 1. */
  attempt: number;
  kind: Exclude<FaultKind, 'fatal'>;
  delayMs: number;
  /** The SQL Server error number or tedious code, when there is one. */
  fault: string;
}

export const realRetryEnvironment: RetryEnvironment = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: () => performance.now(),
};

/** The delay before run `attempt + 1`: half the exponential step plus up to as much again at random. */
export function backoffDelay(
  kind: Exclude<FaultKind, 'fatal'>,
  attempt: number,
  policy: RetryPolicy,
  random: number,
): number {
  const base = kind === 'transient' ? policy.baseDelayMs : policy.contentionDelayMs;
  const step = Math.min(policy.maxDelayMs, base * 2 ** (attempt - 1));
  return Math.round(step / 2 + random * (step / 2));
}

/**
 * Runs `run` (one whole transaction on a connection from the pool) until it succeeds, a fault
 * is not worth retrying, or the policy's attempts or time budget are spent; then throws the last
 * fault as it was. Every run acquires its own connection: the pool validates a connection before
 * handing it out (`select 1`) and replaces one that died with the fault, so a retry never reuses
 * the connection that failed.
 */
export async function retryTransaction<T>(
  run: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  environment: RetryEnvironment = realRetryEnvironment,
): Promise<T> {
  const started = environment.now();
  let duplicateRetries = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const kind = classifyFault(error);
      if (kind === 'fatal' || attempt >= policy.maxAttempts) throw error;
      if (kind === 'duplicate_key') {
        duplicateRetries += 1;
        if (duplicateRetries > policy.maxDuplicateKeyRetries) throw error;
      }
      const delayMs = backoffDelay(kind, attempt, policy, environment.random());
      if (environment.now() - started + delayMs > policy.budgetMs) throw error;
      environment.onRetry?.({ attempt, kind, delayMs, fault: faultLabel(error) });
      await environment.sleep(delayMs);
    }
  }
}

/** `1205`, `ESOCKET`…: what to put in a log line (never the message, which may quote data). */
export function faultLabel(error: unknown): string {
  const shape = (Array.isArray(error) ? error[0] : error) as SqlErrorShape | undefined;
  if (shape !== null && typeof shape === 'object') {
    if (typeof shape.number === 'number') return String(shape.number);
    if (typeof shape.code === 'string') return shape.code;
    if (Array.isArray(shape.errors)) return faultLabel(shape.errors[0]);
    if (shape.cause !== undefined) return faultLabel(shape.cause);
  }
  return 'unknown';
}
