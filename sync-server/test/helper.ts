import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API_PREFIX,
  type EnrollResponse,
  PROTOCOL_VERSION,
  type PushRequest,
  type Sale,
  type StoreInfo,
  uuidv7,
} from '@till/shared';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createEnrollmentCode } from '../src/admin.ts';
import { type BuildAppOptions, buildApp } from '../src/app.ts';
import { loadConfig, requireSqlite, type SqliteTillConfig } from '../src/config.ts';
import { seedDemo } from '../src/seed.ts';
import { SaleChain } from './sales.ts';

export { cardOf, payByCard } from './sales.ts';

/**
 * Tests build the same app as production (`buildApp`) over a real SQLite file in a fresh temp
 * directory, call it with `inject`, and check what was stored by querying that file.
 */
export interface TestServer {
  app: FastifyInstance;
  config: SqliteTillConfig;
  /** A read-only connection to the ledger file, for asserting on what was stored. */
  sql: Database.Database;
  store: StoreInfo;
  clock: TestClock;
  /** Enrolls a fresh device (a fresh chain) through the API. */
  enroll(name?: string): Promise<TestTill>;
  close(): Promise<void>;
}

export class TestClock {
  current = new Date('2026-03-02T09:00:00.000Z');
  now = (): Date => new Date(this.current.getTime());
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * `options` may replace parts of the app (a gateway, sleep, random, retry policy); `sleep`
 * defaults to one that moves the test clock forward instead of waiting, so rate-limiter waits
 * and backoffs cost no real time.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: Omit<BuildAppOptions, 'config' | 'now'> = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'till-test-'));
  const config = requireSqlite(
    loadConfig({
      TILL_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PWA_DIR: join(dataDir, 'no-pwa'),
      CAPTURE_WORKER: 'off',
      ...env,
    }),
  );
  const clock = new TestClock();
  const sleep = async (ms: number) => clock.advance(ms);
  const app = await buildApp({ config, now: clock.now, sleep, ...options });
  const { store } = await seedDemo(app.ledger, clock.now());
  const sql = new Database(config.database.file, { readonly: true });
  return {
    app,
    config,
    sql,
    store,
    clock,
    async enroll(name = 'Front till') {
      const { code } = await createEnrollmentCode(app.ledger, store.id, 60, clock.now());
      const response = await app.inject({
        method: 'POST',
        url: `${API_PREFIX}/devices/enroll`,
        payload: { code, deviceName: name, appVersion: '0.1.0-test' },
      });
      if (response.statusCode !== 201) throw new Error(`enroll failed: ${response.statusCode} ${response.body}`);
      return new TestTill(app, response.json<EnrollResponse>());
    },
    async close() {
      sql.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One enrolled device and its hash chain, making sales the way the till does and pushing them over HTTP. */
export class TestTill extends SaleChain {
  constructor(
    readonly app: FastifyInstance,
    readonly enrollment: EnrollResponse,
  ) {
    super(enrollment);
  }

  get deviceId(): string {
    return this.enrollment.deviceId;
  }

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.enrollment.deviceToken}` };
  }

  pushBody(sales: Sale[], batchId: string = uuidv7()): PushRequest {
    return { protocolVersion: PROTOCOL_VERSION, batchId, sales };
  }

  push(body: PushRequest | string | Record<string, unknown>): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/push`,
      headers: { ...this.headers, 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
}

/** Rows of a table, optionally filtered by one column: the stored truth a test asserts on. */
export function rows<T = Record<string, unknown>>(
  sql: Database.Database,
  table: string,
  where?: Record<string, unknown>,
): T[] {
  const entries = Object.entries(where ?? {});
  const clause = entries.length > 0 ? ` where ${entries.map(([column]) => `${column} = ?`).join(' and ')}` : '';
  return sql.prepare(`select * from ${table}${clause}`).all(...entries.map(([, value]) => value)) as T[];
}

export function count(sql: Database.Database, table: string, where?: Record<string, unknown>): number {
  return rows(sql, table, where).length;
}

/** Row counts of every ledger table, to prove a refused request wrote nothing. */
export function tableCounts(sql: Database.Database): Record<string, number> {
  const tables = [
    'devices',
    'sales',
    'sale_conflicts',
    'sequence_issues',
    'batches',
    'batch_sales',
    'enrollment_codes',
    'payments',
    'payment_attempts',
  ];
  return Object.fromEntries(tables.map((table) => [table, count(sql, table)]));
}
