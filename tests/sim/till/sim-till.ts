import { IDBFactory } from 'fake-indexeddb';
import type { ApiTarget } from '../../../pwa/src/api/endpoints.ts';
import {
  type CardPaymentRecord,
  countUnsent,
  type DeviceRecord,
  getDevice,
  getMeta,
  type LedgerSale,
  type PendingBatch,
} from '../../../pwa/src/db/index.ts';
import type { CardPaymentResult } from '../../../pwa/src/features/card-payments/take-card-payment.ts';
import { enroll } from '../../../pwa/src/features/enroll/enroll.ts';
import type { SimClock } from '../clock.ts';
import type { SaleSpec } from '../schedule.ts';
import { openTillDb, TillLocks } from './browser.ts';
import { SimTab } from './sim-tab.ts';

/**
 * One simulated till: its own fake-indexeddb factory (its "browser profile"), enrolled once, and
 * up to two tabs. Each tab is what the PWA wires up in `browser-services.ts` and its hooks: its
 * own Dexie connection to the till's database, the real `SyncEngine` (leader election through a
 * Web-Locks-like lock the tabs share), a `GatewayMonitor` fed by health pings, a payment updates
 * puller, and the sell flow of `use-tender-session` / `use-complete-sale` over the real
 * `takeCardPayment`, `buildSaleDraft` and `recordSale`. React is not here; what the hooks do is
 * done by plain calls (see each method), on the simulation's clock.
 */

/** Real-time limits of one request, in the ratio the app uses (capture 6 s > gateway 4 s; push 15 s). */
export interface TillTimeouts {
  pushMs: number;
  captureMs: number;
  healthMs: number;
}

/** What a till's cashier experienced, for the run summary and a few checks. */
export interface TillStats {
  sales: number;
  cardResults: Record<CardPaymentResult['kind'], number>;
  removedCards: number;
  restores: number;
  interrupted: number;
  contention: number;
  /** Sales the cashier could not complete for a reason other than a closed tab (a bug unless explained). */
  saleErrors: string[];
}

export interface TillContext {
  clock: SimClock;
  proxyUrl: string;
  seed: number;
  timeouts: TillTimeouts;
  /** Most sales per push. */
  batchSize: number;
  /** Notes what the cashier saw (card results) when the run is verbose. */
  log: (line: string) => void;
}

/** Everything a till holds at the end of a run, read from its IndexedDB. */
export interface TillSnapshot {
  index: number;
  device: DeviceRecord;
  sales: LedgerSale[];
  cardPayments: CardPaymentRecord[];
  chainHead: { lastSeq: number; lastHash: string } | null;
  pendingBatch: PendingBatch | undefined;
  /** Sales whose `recordSale` resolved: the till showed them complete (I1), and not lost to a restore since. */
  completedSaleIds: string[];
  /** Sales a restore from backup took off the till, as they were just before it (sent or not). */
  lostSales: LedgerSale[];
  /** Card journal rows a restore took off the till. */
  lostPayments: CardPaymentRecord[];
}

/** A copy of every table of a till's IndexedDB. */
interface DeviceBackup {
  device: DeviceRecord[];
  chain: Array<{ key: 'head'; lastSeq: number; lastHash: string }>;
  sales: LedgerSale[];
  catalog: unknown[];
  meta: unknown[];
  cardPayments: CardPaymentRecord[];
}

export class SimTill {
  readonly factory = new IDBFactory();
  readonly locks = new TillLocks();
  readonly dbName: string;
  readonly stats: TillStats = {
    sales: 0,
    cardResults: { captured: 0, stored: 0, declined: 0, over_limit: 0, failed: 0 },
    removedCards: 0,
    restores: 0,
    interrupted: 0,
    contention: 0,
    saleErrors: [],
  };
  completedSaleIds: string[] = [];
  readonly lostSales: LedgerSale[] = [];
  readonly lostPayments: CardPaymentRecord[] = [];
  #backup: DeviceBackup | null = null;
  readonly slots: Array<SimTab | null> = [null, null];
  online = true;
  /** Cut when the till goes offline: in-flight requests of every tab fail, as in a browser. */
  network = new AbortController();
  #queue: Promise<void> = Promise.resolve();
  #tabsOpened = 0;

  constructor(
    readonly index: number,
    readonly ctx: TillContext,
  ) {
    this.dbName = `till-sim-${ctx.seed}-${index}`;
  }

  /** Enrolls with a manager's code through the proxy (the network is clean at this point). */
  async enroll(code: string): Promise<void> {
    const db = openTillDb(this.factory, this.dbName);
    const api: ApiTarget = { baseUrl: this.ctx.proxyUrl, fetch: (input, init) => fetch(input, init) };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await enroll(db, api, { code, deviceName: `Sim till ${this.index}`, appVersion: 'sim' }, () =>
            this.ctx.clock.now(),
          );
          break;
        } catch (error) {
          if (attempt >= 5) throw error;
          await this.ctx.clock.sleep(1_000);
        }
      }
      if (!(await getDevice(db))) throw new Error(`till ${this.index} did not enroll`);
    } finally {
      db.close();
    }
  }

  /** Runs `work` after the till's earlier steps: one cashier does one thing at a time per till. */
  enqueue(work: () => Promise<void>): void {
    this.#queue = this.#queue.then(work).catch((error: unknown) => {
      this.stats.saleErrors.push(`step failed: ${error instanceof Error ? error.stack : String(error)}`);
    });
  }

  whenIdle(): Promise<void> {
    return this.#queue;
  }

  openTabs(): SimTab[] {
    return this.slots.filter((tab): tab is SimTab => tab !== null && !tab.closed);
  }

  /** Opens a tab in `slot` unless one is open there. */
  openTab(slot: number): SimTab {
    const existing = this.slots[slot];
    if (existing && !existing.closed) return existing;
    this.#tabsOpened += 1;
    const tab = new SimTab(this, openTillDb(this.factory, this.dbName), this.#tabsOpened);
    this.slots[slot] = tab;
    tab.start();
    return tab;
  }

  /** The tab in `slot` if open, else another open tab, else a new one in `slot` (the cashier reopens the app). */
  tabFor(slot: number): SimTab {
    const wanted = this.slots[slot];
    if (wanted && !wanted.closed) return wanted;
    return this.openTabs()[0] ?? this.openTab(slot);
  }

  closeTab(slot: number): void {
    const tab = this.slots[slot];
    if (tab && !tab.closed) tab.close();
  }

  setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    if (!online) {
      this.network.abort();
      return;
    }
    this.network = new AbortController();
    for (const tab of this.openTabs()) tab.cameOnline();
  }

  /** A sale was recorded: every tab watches the unsent count, and the leader pushes. */
  noteSale(): void {
    for (const tab of this.openTabs()) tab.engine.trigger('sale');
  }

  async sell(slot: number, spec: SaleSpec): Promise<void> {
    await this.tabFor(slot).sell(spec);
  }

  async unsentCount(): Promise<number> {
    const db = openTillDb(this.factory, this.dbName);
    try {
      return await countUnsent(db);
    } finally {
      db.close();
    }
  }

  async snapshot(): Promise<TillSnapshot> {
    const db = openTillDb(this.factory, this.dbName);
    try {
      const device = await getDevice(db);
      if (!device) throw new Error(`till ${this.index} is not enrolled`);
      const head = await db.chain.get('head');
      return {
        index: this.index,
        device,
        sales: await db.sales.orderBy('deviceSeq').toArray(),
        cardPayments: await db.cardPayments.toArray(),
        chainHead: head ? { lastSeq: head.lastSeq, lastHash: head.lastHash } : null,
        pendingBatch: await getMeta(db, 'pendingBatch'),
        completedSaleIds: [...this.completedSaleIds],
        lostSales: [...this.lostSales],
        lostPayments: [...this.lostPayments],
      };
    } finally {
      db.close();
    }
  }

  /** A device backup: every table, as one consistent read. */
  async backup(): Promise<void> {
    const db = openTillDb(this.factory, this.dbName);
    try {
      this.#backup = await db.transaction(
        'r',
        [db.device, db.chain, db.sales, db.catalog, db.meta, db.cardPayments],
        async () =>
          structuredClone({
            device: await db.device.toArray(),
            chain: await db.chain.toArray(),
            sales: await db.sales.toArray(),
            catalog: await db.catalog.toArray(),
            meta: await db.meta.toArray(),
            cardPayments: await db.cardPayments.toArray(),
          }),
      );
    } finally {
      db.close();
    }
  }

  /**
   * The tablet restored from its last backup: the app stops, the database goes back to the
   * backup, the app starts again. What the restore took off is remembered for the checks.
   */
  async restore(): Promise<void> {
    const backup = this.#backup;
    if (!backup) return;
    this.closeAll();
    const db = openTillDb(this.factory, this.dbName);
    try {
      await db.transaction('rw', [db.device, db.chain, db.sales, db.catalog, db.meta, db.cardPayments], async () => {
        const keptSales = new Set(backup.sales.map((sale) => sale.id));
        const keptPayments = new Set(backup.cardPayments.map((row) => row.id));
        this.lostSales.push(...(await db.sales.toArray()).filter((sale) => !keptSales.has(sale.id)));
        this.lostPayments.push(...(await db.cardPayments.toArray()).filter((row) => !keptPayments.has(row.id)));
        this.completedSaleIds = this.completedSaleIds.filter((id) => keptSales.has(id));
        for (const table of [db.device, db.chain, db.sales, db.catalog, db.meta, db.cardPayments]) await table.clear();
        const copy = structuredClone(backup);
        await db.device.bulkPut(copy.device);
        await db.chain.bulkPut(copy.chain);
        await db.sales.bulkPut(copy.sales);
        await db.catalog.bulkPut(copy.catalog as never[]);
        await db.meta.bulkPut(copy.meta as never[]);
        await db.cardPayments.bulkPut(copy.cardPayments);
      });
    } finally {
      db.close();
    }
    this.stats.restores += 1;
    this.openTab(0);
  }

  closeAll(): void {
    for (const slot of [0, 1]) this.closeTab(slot);
  }
}
