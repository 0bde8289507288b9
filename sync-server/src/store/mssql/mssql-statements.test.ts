import { type EnrollResponse, MAX_SALES_PER_PUSH, type StoreInfo, uuidv7 } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { payByCard, TestTill } from '../../../test/helper.ts';
import { prepareBatch } from '../../ingest/prepare-batch.ts';
import { enrollDevice } from '../kysely/enroll.ts';
import { portableLedgerDialect } from '../kysely/ledger-dialect.ts';
import { beginLiveCapture } from '../kysely/payments/live-capture.ts';
import { claimCapturePublications } from '../kysely/payments/publications.ts';
import { paymentUpdates } from '../kysely/payments/queries.ts';
import { claimDuePayments, finishPaymentWork } from '../kysely/payments/work.ts';
import { pushBatch } from '../kysely/push-batch.ts';
import type { DeviceContext } from '../ledger-store.ts';
import type { LedgerTables } from '../tables.ts';
import { lockedTable } from './ledger-dialect.ts';
import { type Answer, type RecordedStatement, recordingMssqlLedger } from './recording-kysely.ts';

/**
 * The T-SQL the shared ledger code sends to Azure SQL, compiled by Kysely's real MSSQL compiler
 * with our plugins and dialect — no server needed. Each test runs the real store function on a
 * recording driver and reads what it would have sent.
 */

/** SQL Server's limit of parameters in one request (tedious sends each as an RPC parameter). */
const MAX_PARAMETERS = 2100;

const STORE: StoreInfo = {
  id: 'store-1',
  code: 'DEMO',
  name: 'Demo',
  currency: 'USD',
  taxMode: 'exclusive',
  locale: 'en-US',
  timezone: 'UTC',
  address: '1 Main St',
  cardOfflineLimits: { maxPerPayment: 100_000, maxTotalPerDevice: 500_000, maxAgeMinutes: 1440 },
};

const DEVICE: DeviceContext = {
  deviceId: 'device-1',
  tenantId: 'tenant-1',
  storeId: STORE.id,
  deviceNo: 1,
  deviceName: 'Front till',
  status: 'active',
  ackedSeq: 0,
  store: STORE,
} as DeviceContext;

const statementsOnly = (statements: RecordedStatement[]) =>
  statements.filter((s) => !['begin', 'commit', 'rollback'].includes(s.sql));

/** Answers like an empty ledger with one active device and the payment counter at 7. */
const emptyLedger: Answer = (query) => {
  if (/from "devices" as "devices" with/.test(query.sql)) {
    return [{ status: 'active', acked_seq: 0, last_seq: 0, arrival_count: 0 }];
  }
  if (/from "ledger_counters"/.test(query.sql)) return [{ value: 7 }];
  return [];
};

describe('Azure SQL statements (compiled, no server)', () => {
  it('[AZ-SQL] a push locks its device row first (UPDLOCK, ROWLOCK), uses TOP not LIMIT, stays under 2100 parameters', async () => {
    const { db, statements } = recordingMssqlLedger(emptyLedger);
    const till = new TestTill(undefined as unknown as FastifyInstance, { store: STORE, deviceNo: 1 } as EnrollResponse);
    const sales = [];
    for (let i = 0; i < MAX_SALES_PER_PUSH; i += 1) {
      sales.push(i % 10 === 0 ? await till.nextSale((sale) => payByCard(sale)) : await till.nextSale());
    }
    const batch = await prepareBatch(till.pushBody(sales), STORE, new Date('2026-03-02T09:00:00Z'));

    const outcome = await pushBatch(db, DEVICE, batch);

    expect(outcome.kind).toBe('stored');
    const sent = statementsOnly(statements);
    expect(statements[0]?.sql).toBe('begin');
    expect(sent[0]?.sql).toBe(
      'select "status", "acked_seq", "last_seq", "arrival_count" from "devices" as "devices" with (updlock, rowlock) where "id" = @1 and "tenant_id" = @2',
    );
    expect(statements.at(-1)?.sql).toBe('commit');
    for (const statement of sent) {
      expect(statement.sql).not.toMatch(/\blimit\b/);
      expect(statement.parameters.length).toBeLessThan(MAX_PARAMETERS);
    }
    // The first sale stored at a seq: TOP (1) in arrival order.
    expect(
      sent.some((s) => /^select top\(1\) "id", "hash", "prev_hash" from "sales" .* order by "arrival_no"$/.test(s.sql)),
    ).toBe(true);
    // A new card payment's row is read with an update lock before it is written.
    expect(
      sent.some((s) =>
        s.sql.startsWith('select * from "payments" as "payments" with (updlock, rowlock) where "id" = @1'),
      ),
    ).toBe(true);
    // The batch's outcomes go in chunks of 100 rows × 4 columns.
    const chunks = sent.filter((s) => s.sql.startsWith('insert into "batch_sales"'));
    expect(chunks.map((s) => s.parameters.length)).toEqual([400, 400]);
    // One push of the largest size is one transaction of a known number of round trips (README).
    expect(sent.length).toBeLessThan(MAX_SALES_PER_PUSH * 10);
  });

  it('[AZ-SQL] a claim takes TOP (n) due payments WITH (READPAST, UPDLOCK, ROWLOCK) in order, then stamps the lease in the same transaction', async () => {
    const due = [
      { id: 'p1', tenant_id: 't', state: 'pending', lease_owner: null, amount: 100, change_no: 1 },
      { id: 'p2', tenant_id: 't', state: 'unknown', lease_owner: null, amount: 200, change_no: 2 },
    ];
    const { db, statements } = recordingMssqlLedger((query) => (query.sql.includes('readpast') ? due : []));

    const claimed = await claimDuePayments(
      db,
      { owner: 'worker-a', expiresAt: '2026-03-02T09:01:00.000Z' },
      '2026-03-02T09:00:00.000Z',
      8,
    );

    expect(claimed.map((p) => p.id)).toEqual(['p1', 'p2']);
    const [select, update] = statementsOnly(statements);
    expect(select?.sql).toMatch(
      /^select top\(8\) \* from "payments" as "payments" with \(readpast, updlock, rowlock\) where .* order by "next_attempt_at", "id"$/,
    );
    expect(update?.sql).toBe(
      'update "payments" set "lease_owner" = @1, "lease_expires_at" = @2 where "id" in (@3, @4)',
    );
    expect(statements.map((s) => s.sql).filter((s) => s === 'begin' || s === 'commit')).toEqual(['begin', 'commit']);
    expect(new Set(statements.map((s) => s.connection)).size).toBe(1);
  });

  it('[AZ-SQL] the outbox relay claims capture_publications WITH (READPAST, UPDLOCK, ROWLOCK) under its alias, then leases them in the same transaction', async () => {
    const candidate = {
      tenant_id: 't',
      state: 'pending',
      next_attempt_at: '2026-03-02T09:00:00.000Z',
      sale_received_at: '2026-03-02T08:59:00.000Z',
      expires_at: '2026-03-09T09:00:00.000Z',
      lease_owner: null,
      lease_expires_at: null,
    };
    const due = [
      { ...candidate, id: 'p1', seq: null, published_seq: null },
      { ...candidate, id: 'p2', seq: 3, published_seq: 3 },
    ];
    const { db, statements } = recordingMssqlLedger((query) => (query.sql.includes('readpast') ? due : []));

    const claimed = await claimCapturePublications(
      db,
      { owner: 'relay-a', expiresAt: '2026-03-02T09:02:00.000Z' },
      '2026-03-02T09:00:00.000Z',
      100,
      '2026-03-02T08:30:00.000Z',
    );

    expect(claimed.map((c) => [c.paymentId, c.seq])).toEqual([
      ['p1', 1],
      ['p2', 4],
    ]);
    const [select, insert, update] = statementsOnly(statements);
    expect(select?.sql).toMatch(
      /^select top\(100\) .* from "payments" as "p" left join "capture_publications" as "c" with \(readpast, updlock, rowlock\) on "c"\."tenant_id" = "p"\."tenant_id" and "c"\."payment_id" = "p"\."id" where .* order by "p"\."next_attempt_at", "p"\."id"$/,
    );
    expect(insert?.sql).toMatch(/^insert into "capture_publications" /);
    expect(update?.sql).toMatch(/^update "capture_publications" set "seq" = @1, "lease_owner" = @2/);
    expect(statements.map((s) => s.sql).filter((s) => s === 'begin' || s === 'commit')).toEqual(['begin', 'commit']);
    expect(new Set(statements.map((s) => s.connection)).size).toBe(1);
  });

  it('[AZ-SQL] payment writers read the row WITH (UPDLOCK, ROWLOCK): live capture, finishing work, enrollment codes', async () => {
    const { db, statements } = recordingMssqlLedger(emptyLedger);
    await beginLiveCapture(
      db,
      DEVICE,
      {
        paymentId: uuidv7(),
        saleId: uuidv7(),
        reference: 'R1',
        amount: 500,
        currency: 'USD',
        brand: 'visa',
        last4: '4242',
        gatewayToken: 'pm_card_visa',
      } as Parameters<typeof beginLiveCapture>[2],
      { owner: 'live:1', expiresAt: '2026-03-02T09:01:00.000Z' },
      '2026-03-02T09:00:00.000Z',
    );
    await expect(
      finishPaymentWork(db, {
        tenantId: 't',
        paymentId: 'missing',
        owner: 'worker-a',
        now: '2026-03-02T09:00:00.000Z',
        attempts: [],
        change: { state: 'pending' },
      } as unknown as Parameters<typeof finishPaymentWork>[1]),
    ).rejects.toThrow(/no payment missing/);
    await enrollDevice(db, {
      codeHash: 'h',
      deviceId: 'd',
      deviceName: 'n',
      tokenHash: 'x',
      appVersion: '1',
      now: '2026-03-02T09:00:00.000Z',
    });
    const locked = statementsOnly(statements).filter((s) => s.sql.includes('with (updlock, rowlock)'));
    expect(locked.map((s) => /from "(\w+)"/.exec(s.sql)?.[1])).toEqual(['payments', 'payments', 'enrollment_codes']);
  });

  it('[AZ-SQL] every .limit() becomes TOP (n): the updates cursor', async () => {
    const { db, statements } = recordingMssqlLedger(emptyLedger);
    await paymentUpdates(db, DEVICE, 0, 50);
    const [, page] = statementsOnly(statements);
    expect(page?.sql).toMatch(/^select top\(50\) \* from "payments" where .* order by "change_no"$/);
  });

  it('[AZ-SQL] a .limit() with an offset is refused loudly, not sent as LIMIT', () => {
    const { db } = recordingMssqlLedger();
    expect(() => db.selectFrom('sales').selectAll().orderBy('id').limit(10).offset(20).compile()).toThrow(/offset/);
  });

  it('[AZ-SQL] table hints sit after the alias, where T-SQL wants them', () => {
    const { db } = recordingMssqlLedger();
    const compiled = db.selectFrom(lockedTable('devices', 'claim')).select('id').where('id', '=', 'd').compile();
    expect(compiled.sql).toBe(
      'select "id" from "devices" as "devices" with (readpast, updlock, rowlock) where "id" = @1',
    );
    const aliased = db
      .selectFrom('payments as p')
      .leftJoin(lockedTable('capture_publications', 'claim', 'c'), (join) => join.onRef('c.payment_id', '=', 'p.id'))
      .select('c.seq')
      .compile();
    expect(aliased.sql).toBe(
      'select "c"."seq" from "payments" as "p" left join "capture_publications" as "c" with (readpast, updlock, rowlock) on "c"."payment_id" = "p"."id"',
    );
  });

  it('[AZ-SQL] on SQLite a locked table is the plain table, under its alias when given (no hint)', () => {
    const sqlite = new Kysely<LedgerTables>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (kysely) => new SqliteIntrospector(kysely),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
    const compiled = sqlite
      .selectFrom('payments as p')
      .leftJoin(portableLedgerDialect.lockedTable('capture_publications', 'claim', 'c'), (join) =>
        join.onRef('c.payment_id', '=', 'p.id'),
      )
      .select('c.seq')
      .where('p.id', 'in', sqlite.selectFrom(portableLedgerDialect.lockedTable('payments', 'update')).select('id'))
      .compile();
    expect(compiled.sql).toBe(
      'select "c"."seq" from "payments" as "p" left join "capture_publications" as "c" on "c"."payment_id" = "p"."id" where "p"."id" in (select "id" from "payments" as "payments")',
    );
  });
});
