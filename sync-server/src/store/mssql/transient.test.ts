import { ConnectionError, RequestError } from 'tedious';
import { describe, expect, it } from 'vitest';
import { runInTransaction } from '../kysely/ledger-dialect.ts';
import { recordingMssqlLedger } from './recording-kysely.ts';
import {
  backoffDelay,
  classifyFault,
  DEFAULT_RETRY_POLICY,
  type RetryEnvironment,
  type RetryNotice,
  retryTransaction,
  TRANSIENT_ERROR_NUMBERS,
} from './transient.ts';

/** A SQL Server error as tedious reports it. */
function sqlError(number: number, message = `error ${number}`): RequestError {
  const error = new RequestError(message, 'EREQUEST');
  error.number = number;
  return error;
}

/** A clock that only moves when the retry loop sleeps; records every sleep and notice. */
function fakeEnvironment(random = 0.5): RetryEnvironment & { sleeps: number[]; notices: RetryNotice[] } {
  let now = 0;
  const sleeps: number[] = [];
  const notices: RetryNotice[] = [];
  return {
    sleeps,
    notices,
    now: () => now,
    random: () => random,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
    onRetry: (notice) => notices.push(notice),
  };
}

describe('Azure SQL transient faults', () => {
  it('[AZ-SQL] the documented transient numbers, deadlocks and dropped connections retry; everything else is fatal', () => {
    for (const number of [
      40613, 40197, 40501, 49918, 49919, 49920, 4060, 4221, 10928, 10929, 10053, 10054, 10060, 233, 64,
    ]) {
      expect(TRANSIENT_ERROR_NUMBERS.has(number)).toBe(true);
      expect(classifyFault(sqlError(number))).toBe('transient');
    }
    expect(classifyFault(sqlError(1205))).toBe('contention');
    for (const code of ['ESOCKET', 'ECONNRESET', 'ETIMEOUT', 'ECLOSE']) {
      expect(classifyFault(new ConnectionError('gone', code))).toBe('transient');
    }
    expect(classifyFault(sqlError(2627))).toBe('duplicate_key');
    expect(classifyFault(sqlError(2601))).toBe('duplicate_key');
    // A foreign key or check violation, a truncation, a syntax error, a failed login: not transient.
    for (const number of [547, 8152, 102, 18456]) expect(classifyFault(sqlError(number))).toBe('fatal');
    expect(classifyFault(new ConnectionError('Login failed.', 'ELOGIN'))).toBe('fatal');
    expect(classifyFault(new Error('bug'))).toBe('fatal');
    expect(classifyFault(undefined)).toBe('fatal');
  });

  it('[AZ-SQL] faults are found inside what wraps them: AggregateError, an array of errors, a cause chain', () => {
    expect(classifyFault(new AggregateError([sqlError(3621), sqlError(1205)]))).toBe('contention');
    expect(classifyFault([sqlError(3621), sqlError(40613)])).toBe('transient');
    expect(classifyFault(new Error('Ledger migration failed', { cause: sqlError(40501) }))).toBe('transient');
    // A transient fault explains a duplicate key reported with it; alone, the duplicate is a lost race.
    expect(classifyFault([sqlError(2627), sqlError(40197)])).toBe('transient');
  });

  it('[AZ-SQL] backoff grows exponentially with jitter inside [step/2, step], capped', () => {
    const policy = DEFAULT_RETRY_POLICY;
    const bounds = (attempt: number) => [
      backoffDelay('transient', attempt, policy, 0),
      backoffDelay('transient', attempt, policy, 0.999_999),
    ];
    expect(bounds(1)).toEqual([500, 1000]);
    expect(bounds(2)).toEqual([1000, 2000]);
    expect(bounds(3)).toEqual([2000, 4000]);
    expect(bounds(4)).toEqual([4000, 8000]);
    expect(bounds(9)).toEqual([4000, 8000]);
    expect([backoffDelay('contention', 1, policy, 0), backoffDelay('contention', 1, policy, 0.999_999)]).toEqual([
      25, 50,
    ]);
  });

  it('[AZ-SQL] a transient fault re-runs the WHOLE transaction on a fresh connection; its result is the last run', async () => {
    const environment = fakeEnvironment();
    let failures = 1;
    const { db, statements } = recordingMssqlLedger(
      (query) => {
        if (query.sql.startsWith('update') && failures > 0) {
          failures -= 1;
          return sqlError(40613, 'Database is not currently available');
        }
        return [{ n: 1 }];
      },
      { environment },
    );

    const result = await runInTransaction(db, async (trx) => {
      await trx.selectFrom('devices').select('id').execute();
      await trx.updateTable('devices').set({ last_seq: 1 }).where('id', '=', 'd').execute();
      await trx.insertInto('tenants').values({ id: 't', name: 'T', created_at: 'now' }).execute();
      return 'done';
    });

    expect(result).toBe('done');
    const trail = statements.map((s) => `${s.connection}:${s.sql.split(' ')[0]}`);
    expect(trail).toEqual([
      '1:begin',
      '1:select',
      '1:update',
      '1:rollback',
      // The first statement runs again: the transaction, not the failed statement, is retried.
      '2:begin',
      '2:select',
      '2:update',
      '2:insert',
      '2:commit',
    ]);
    expect(environment.sleeps).toHaveLength(1);
    expect(environment.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(environment.sleeps[0]).toBeLessThanOrEqual(1000);
    expect(environment.notices).toEqual([{ attempt: 1, kind: 'transient', delayMs: 750, fault: '40613' }]);
  });

  it('[AZ-SQL] a failing ROLLBACK (the server already rolled back) does not hide the fault that caused it', async () => {
    const environment = fakeEnvironment();
    let deadlocks = 1;
    const recording = recordingMssqlLedger(() => (deadlocks-- > 0 ? sqlError(1205) : []), { environment });
    recording.failRollback(sqlError(3903, 'The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION'));

    await runInTransaction(recording.db, async (trx) => {
      await trx.selectFrom('devices').select('id').execute();
    });

    expect(environment.notices.map((notice) => notice.fault)).toEqual(['1205']);
    expect(environment.sleeps[0]).toBeLessThanOrEqual(50);
  });

  it('[AZ-SQL] a non-transient error surfaces at once: one run, no wait', async () => {
    const environment = fakeEnvironment();
    let runs = 0;
    await expect(
      retryTransaction(
        async () => {
          runs += 1;
          throw sqlError(547, 'The INSERT statement conflicted with the FOREIGN KEY constraint');
        },
        DEFAULT_RETRY_POLICY,
        environment,
      ),
    ).rejects.toMatchObject({ number: 547 });
    expect(runs).toBe(1);
    expect(environment.sleeps).toEqual([]);
  });

  it('[AZ-SQL] retries stop at maxAttempts and within the time budget, then the last fault surfaces as it was', async () => {
    const environment = fakeEnvironment(0.999_999);
    let runs = 0;
    const fault = sqlError(40501, 'The service is currently busy');
    await expect(
      retryTransaction(
        async () => {
          runs += 1;
          throw fault;
        },
        DEFAULT_RETRY_POLICY,
        environment,
      ),
    ).rejects.toBe(fault);
    // 1 s + 2 s + 4 s = 7 s; the next wait (8 s) would end past the 12 s budget.
    expect(environment.sleeps).toEqual([1000, 2000, 4000]);
    expect(runs).toBe(4);

    const quick = fakeEnvironment(0);
    let deadlockRuns = 0;
    await expect(
      retryTransaction(
        async () => {
          deadlockRuns += 1;
          throw sqlError(1205);
        },
        DEFAULT_RETRY_POLICY,
        quick,
      ),
    ).rejects.toMatchObject({ number: 1205 });
    expect(deadlockRuns).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it('[AZ-SQL] a lost insert race (2627) re-runs the transaction a few times, never in a loop', async () => {
    const environment = fakeEnvironment();
    let runs = 0;
    await expect(
      retryTransaction(
        async () => {
          runs += 1;
          throw sqlError(2627, 'Violation of PRIMARY KEY constraint');
        },
        DEFAULT_RETRY_POLICY,
        environment,
      ),
    ).rejects.toMatchObject({ number: 2627 });
    expect(runs).toBe(1 + DEFAULT_RETRY_POLICY.maxDuplicateKeyRetries);
    expect(environment.notices.every((notice) => notice.kind === 'duplicate_key')).toBe(true);

    // The usual case: the re-run finds the other transaction's row and succeeds.
    let raced = true;
    const answer = await retryTransaction(
      async () => {
        if (raced) {
          raced = false;
          throw sqlError(2627);
        }
        return 'duplicate';
      },
      DEFAULT_RETRY_POLICY,
      fakeEnvironment(),
    );
    expect(answer).toBe('duplicate');
  });
});
