import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { LedgerTables } from '../tables.ts';

/**
 * Till's own migration lock on Azure SQL, held around Kysely's Migrator.
 *
 * Kysely's MssqlAdapter locks with `sp_getapplock @DbPrincipal = 'dbo'` and ignores the return
 * code. SQL Server grants a `dbo` lock only to members of db_owner; for anyone else it returns
 * -999 without raising, so two instances starting at once could both migrate. This lock is taken
 * in the default `public` namespace, which every database user may use, and its return code is
 * checked: below 0, no migration runs and the instance fails to start with the reason.
 *
 * The lock is owned by the SESSION, on one dedicated connection that also runs the migrator: the
 * migrator cannot run inside a transaction of ours (it opens its own with `db.connection()` and
 * `db.transaction()`, which a Kysely `Transaction` refuses), but it runs on the single-connection
 * Kysely that `db.connection().execute()` hands out. If that connection dies, SQL Server ends
 * the session and frees the lock with it.
 *
 * `@LockTimeout = 0` and a poll from here, not a long server-side wait: a wait longer than the
 * statement timeout (Command Timeout, 15 s by default) would be cancelled by tedious.
 */
export const MIGRATION_LOCK_RESOURCE = 'till_migrations';

/** What `sp_getapplock` returns: ≥ 0 granted; -1 timed out (here: held by another session). */
const TIMED_OUT = -1;
const RETURN_CODES: ReadonlyMap<number, string> = new Map([
  [TIMED_OUT, 'timed out: another session holds it'],
  [-2, 'the request was cancelled'],
  [-3, 'chosen as deadlock victim'],
  [-999, 'a parameter or permission error'],
]);

export interface MigrationLockOptions {
  /** Between two tries while another instance holds the lock. */
  pollMs?: number;
  /** Longest wait for another instance's migration before giving up. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
  now?: () => number;
}

const DEFAULTS = { pollMs: 1000, maxWaitMs: 5 * 60_000, sleep, now: Date.now } satisfies Required<MigrationLockOptions>;

/**
 * Runs `work` on one pooled connection while that connection's session holds the exclusive
 * `till_migrations` app lock; releases it after. Waits (polling) while another instance holds it.
 */
export async function withMigrationLock<T>(
  db: Kysely<LedgerTables>,
  work: (connection: Kysely<LedgerTables>) => Promise<T>,
  options: MigrationLockOptions = {},
): Promise<T> {
  const settings = { ...DEFAULTS, ...options };
  return db.connection().execute(async (connection) => {
    await acquire(connection, settings);
    let result: T;
    try {
      result = await work(connection);
    } catch (error) {
      // The work's error is the one that says what happened; a dead session has freed the lock.
      await release(connection).catch(() => undefined);
      throw error;
    }
    // Not swallowed: a connection that goes back to the pool still holding the lock would keep
    // every other instance from migrating for as long as it lives.
    await release(connection);
    return result;
  });
}

async function acquire(connection: Kysely<LedgerTables>, settings: Required<MigrationLockOptions>): Promise<void> {
  const giveUpAt = settings.now() + settings.maxWaitMs;
  let waited = false;
  for (;;) {
    const code = await returnCode(
      sql<{
        r: number;
      }>`declare @r int; exec @r = sp_getapplock @Resource = ${sql.lit(MIGRATION_LOCK_RESOURCE)}, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0; select @r as r`.execute(
        connection,
      ),
    );
    if (code >= 0) return;
    if (code === TIMED_OUT && settings.now() < giveUpAt) {
      waited = true;
      await settings.sleep(settings.pollMs);
      continue;
    }
    throw new Error(lockFailure(code, waited ? settings.maxWaitMs : 0));
  }
}

async function release(connection: Kysely<LedgerTables>): Promise<void> {
  const code = await returnCode(
    sql<{
      r: number;
    }>`declare @r int; exec @r = sp_releaseapplock @Resource = ${sql.lit(MIGRATION_LOCK_RESOURCE)}, @LockOwner = 'Session'; select @r as r`.execute(
      connection,
    ),
  );
  if (code < 0) throw new Error(`Azure SQL: could not release the migration lock (sp_releaseapplock returned ${code})`);
}

async function returnCode(result: Promise<{ rows: Array<{ r: number }> }>): Promise<number> {
  const r = (await result).rows[0]?.r;
  if (typeof r !== 'number') throw new Error('Azure SQL: sp_getapplock/sp_releaseapplock returned no status');
  return r;
}

function lockFailure(code: number, waitedMs: number): string {
  const meaning = RETURN_CODES.get(code) ?? 'an unknown code';
  const head = `Azure SQL: could not take the migration lock '${MIGRATION_LOCK_RESOURCE}' (code ${code}: ${meaning}); no migration ran`;
  if (code === TIMED_OUT) {
    return `${head}. Another instance has held it for ${Math.round(waitedMs / 1000)} s: a migration still running or stuck (look for a session holding an APPLICATION lock in sys.dm_tran_locks); see docs/deploy-azure.md`;
  }
  return `${head}. The database user needs to be a user of this database allowed to run sp_getapplock (every user is, through public) and db_owner to run the migrations; see docs/deploy-azure.md`;
}
