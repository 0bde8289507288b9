import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API_PREFIX,
  type CardTender,
  computeSaleTotals,
  type EnrollResponse,
  formatReceiptNo,
  GENESIS_HASH,
  PROTOCOL_VERSION,
  type PushRequest,
  type Sale,
  type SaleLine,
  type StoreInfo,
  sealRecord,
  type UnsealedSale,
  uuidv7,
} from '@till/shared';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createEnrollmentCode } from '../src/admin.ts';
import { type BuildAppOptions, buildApp } from '../src/app.ts';
import { loadConfig, requireSqlite, type SqliteTillConfig } from '../src/config.ts';
import { seedDemo } from '../src/seed.ts';

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

/** Figures that make a sale's lines; the defaults are two demo products at 8.25 % tax. */
export const DEFAULT_LINES: SaleLine[] = [
  { lineNo: 1, productId: null, sku: 'COF-004', name: 'Latte', qty: 2, unitPrice: 450, discount: 0, taxRateBp: 825 },
  {
    lineNo: 2,
    productId: null,
    sku: 'BAK-007',
    name: 'Butter Croissant',
    qty: 1,
    unitPrice: 375,
    discount: 25,
    taxRateBp: 825,
  },
];

/** One enrolled device and its hash chain, making sales the way the till does. */
export class TestTill {
  seq = 0;
  prevHash = GENESIS_HASH;

  constructor(
    readonly app: FastifyInstance,
    readonly enrollment: EnrollResponse,
  ) {}

  get deviceId(): string {
    return this.enrollment.deviceId;
  }

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.enrollment.deviceToken}` };
  }

  /**
   * The next sale in this device's chain, correctly totalled, paid and sealed. `change` edits
   * the sale before sealing (e.g. wrong totals with a valid hash); the chain advances anyway.
   */
  async nextSale(change: (sale: UnsealedSale) => UnsealedSale = (sale) => sale): Promise<Sale> {
    this.seq += 1;
    const sale = await this.makeSale(this.seq, this.prevHash, change);
    this.prevHash = sale.hash;
    return sale;
  }

  /** A sale at any seq and prevHash, without touching the chain (for gaps, reuse, breaks). */
  async makeSale(
    seq: number,
    prevHash: string,
    change: (sale: UnsealedSale) => UnsealedSale = (s) => s,
  ): Promise<Sale> {
    const { store, deviceNo } = this.enrollment;
    const lines = DEFAULT_LINES;
    const totals = computeSaleTotals(lines, store.taxMode);
    const tendered = Math.ceil(totals.total / 1000) * 1000;
    const unsealed: UnsealedSale = {
      id: uuidv7(),
      deviceSeq: seq,
      prevHash,
      receiptNo: formatReceiptNo(store.code, deviceNo, seq),
      createdAt: new Date(Date.UTC(2026, 2, 2, 8, 0, seq)).toISOString(),
      currency: store.currency,
      taxMode: store.taxMode,
      lines,
      totals,
      tenders: [{ id: uuidv7(), kind: 'cash', amount: totals.total, tendered, change: tendered - totals.total }],
    };
    return sealRecord(change(unsealed));
  }

  /** The next sale, paid by one card tender for its whole total (stored unless told). */
  nextCardSale(card: Partial<CardTender> = {}, change: (sale: UnsealedSale) => UnsealedSale = (s) => s): Promise<Sale> {
    return this.nextSale((sale) => change(payByCard(sale, card)));
  }

  /** Several next sales. */
  async nextSales(count: number): Promise<Sale[]> {
    const sales: Sale[] = [];
    for (let i = 0; i < count; i += 1) sales.push(await this.nextSale());
    return sales;
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

/** A card tender for the whole total (stored, Visa, approving test token unless overridden). */
export function payByCard(sale: UnsealedSale, card: Partial<CardTender> = {}): UnsealedSale {
  const tender: CardTender = {
    id: uuidv7(),
    kind: 'card',
    amount: sale.totals.total,
    brand: 'visa',
    last4: '4242',
    gatewayToken: 'pm_card_visa',
    entry: 'stored',
    gatewayRef: null,
    storedReason: 'gateway_unavailable',
    ...card,
  };
  return { ...sale, tenders: [tender] };
}

/** The card tender of a sale made by `nextCardSale`. */
export function cardOf(sale: Sale): CardTender {
  const tender = sale.tenders.find((t) => t.kind === 'card');
  if (tender === undefined || tender.kind !== 'card') throw new Error(`sale ${sale.id} has no card tender`);
  return tender;
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
