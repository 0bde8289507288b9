import type { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateLedger } from '../migrations/migrate.ts';
import { withMigrationLock } from './migration-lock.ts';
import { recordingMssqlLedger } from './recording-kysely.ts';

/**
 * Till's migration lock on Azure SQL, on the recording driver: what is sent, in which order, on
 * which connection, and what each `sp_getapplock` return code leads to.
 */

const TAKE =
  "declare @r int; exec @r = sp_getapplock @Resource = 'till_migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0; select @r as r";
const RELEASE =
  "declare @r int; exec @r = sp_releaseapplock @Resource = 'till_migrations', @LockOwner = 'Session'; select @r as r";

/** Answers our lock calls with the next of `codes` (the last one repeats), everything else with no rows. */
function lockAnswers(...codes: number[]) {
  let next = 0;
  return (query: CompiledQuery) => {
    if (query.sql === TAKE) {
      const r = codes[Math.min(next, codes.length - 1)];
      next += 1;
      return [{ r }];
    }
    if (query.sql === RELEASE) return [{ r: 0 }];
    return [];
  };
}

describe('Azure SQL migration lock (recording driver, no server)', () => {
  it('[AZ-SQL] the migrations run under our own app lock, taken first and released last on one connection', async () => {
    const { db, statements } = recordingMssqlLedger(lockAnswers(0));

    const ran = await migrateLedger(db);

    expect(ran).toContain('001_initial');
    const sent = statements.map((s) => s.sql);
    expect(sent[0]).toBe(TAKE);
    expect(sent.at(-1)).toBe(RELEASE);
    expect(sent.filter((s) => s === TAKE || s === RELEASE)).toEqual([TAKE, RELEASE]);
    // Kysely's own lock and the migration transaction come in between, on the same session.
    const kyselyLock = sent.findIndex((s) => s.startsWith("exec sp_getapplock @DbPrincipal = 'dbo'"));
    expect(kyselyLock).toBeGreaterThan(0);
    expect(sent.findIndex((s) => s.startsWith('create table "tenants"'))).toBeGreaterThan(kyselyLock);
    expect(new Set(statements.map((s) => s.connection))).toEqual(new Set([1]));
  });

  it('[AZ-SQL] a lock refused with -999 stops the start with the reason, and nothing is migrated', async () => {
    const { db, statements } = recordingMssqlLedger(lockAnswers(-999));

    await expect(migrateLedger(db)).rejects.toThrow(
      /could not take the migration lock 'till_migrations' \(code -999: .*\); no migration ran\. The database user needs .*docs\/deploy-azure\.md/,
    );
    expect(statements.map((s) => s.sql)).toEqual([TAKE]);
  });

  it('[AZ-SQL] while another instance holds the lock (-1) it polls, then migrates; past the longest wait it gives up', async () => {
    let clock = 0;
    const slept: number[] = [];
    const options = {
      pollMs: 1000,
      maxWaitMs: 3000,
      now: () => clock,
      sleep: async (ms: number) => {
        slept.push(ms);
        clock += ms;
      },
    };

    const held = recordingMssqlLedger(lockAnswers(-1, -1, 1));
    await expect(withMigrationLock(held.db, async () => 'migrated', options)).resolves.toBe('migrated');
    expect(slept).toEqual([1000, 1000]);
    expect(held.statements.map((s) => s.sql)).toEqual([TAKE, TAKE, TAKE, RELEASE]);

    clock = 0;
    slept.length = 0;
    let worked = false;
    const stuck = recordingMssqlLedger(lockAnswers(-1));
    await expect(
      withMigrationLock(
        stuck.db,
        async () => {
          worked = true;
        },
        options,
      ),
    ).rejects.toThrow(/code -1: .*Another instance has held it for 3 s/);
    expect(worked).toBe(false);
    expect(stuck.statements.map((s) => s.sql)).not.toContain(RELEASE);
  });

  it('[AZ-SQL] a failing migration releases the lock and surfaces its own error; a failed release is not swallowed', async () => {
    const failing = recordingMssqlLedger(lockAnswers(0));
    await expect(
      withMigrationLock(failing.db, async () => {
        throw new Error('migration 004 failed');
      }),
    ).rejects.toThrow('migration 004 failed');
    expect(failing.statements.map((s) => s.sql)).toEqual([TAKE, RELEASE]);

    const unreleased = recordingMssqlLedger((query) => [{ r: query.sql === RELEASE ? -999 : 0 }]);
    await expect(withMigrationLock(unreleased.db, async () => 'done')).rejects.toThrow(
      /could not release the migration lock \(sp_releaseapplock returned -999\)/,
    );
  });
});
