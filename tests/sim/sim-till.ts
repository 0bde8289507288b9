import { formatMoney, type HealthResponse, uuidv7 } from '@till/shared';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { type ApiTarget, getHealth } from '../../pwa/src/api/endpoints.ts';
import type { FetchLike } from '../../pwa/src/api/http.ts';
import {
  type CardPaymentRecord,
  ChainContentionError,
  cancelStoredPayment,
  countUnsent,
  type DeviceRecord,
  getDevice,
  getMeta,
  type LedgerSale,
  type PendingBatch,
  predictReceiptNo,
  recordSale,
  TillDb,
} from '../../pwa/src/db/index.ts';
import { GatewayMonitor } from '../../pwa/src/features/card-payments/gateway-monitor.ts';
import { pullPaymentUpdates } from '../../pwa/src/features/card-payments/payment-updates.ts';
import { type CardPaymentResult, takeCardPayment } from '../../pwa/src/features/card-payments/take-card-payment.ts';
import type { CardRead } from '../../pwa/src/features/card-reader/card-reader.ts';
import { TEST_CARDS } from '../../pwa/src/features/card-reader/test-cards.ts';
import { enroll } from '../../pwa/src/features/enroll/enroll.ts';
import { buildSaleDraft } from '../../pwa/src/features/sell/build-sale-draft.ts';
import { type Cart, cartReducer, cartTotals, EMPTY_CART } from '../../pwa/src/features/sell/cart.ts';
import {
  addTender,
  completingTenders,
  newTenderSession,
  remainingAmount,
  removeTender,
  type TenderSession,
} from '../../pwa/src/features/sell/tender-session.ts';
import { type LocksLike, SyncEngine, type TimerHandle } from '../../pwa/src/features/sync/sync-engine.ts';
import type { SimClock } from './clock.ts';
import { Prng } from './prng.ts';
import type { CardKind, SaleSpec } from './schedule.ts';

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

const CARD_READS: Record<CardKind, CardRead> = {
  visa: cardRead('test-card-visa'),
  mastercard: cardRead('test-card-mastercard'),
  declined: cardRead('test-card-declined'),
  insufficient: cardRead('test-card-insufficient'),
};

function cardRead(testId: string): CardRead {
  const card = TEST_CARDS.find((candidate) => candidate.testId === testId);
  if (!card) throw new Error(`no test card ${testId}`);
  return card.read;
}

/**
 * The Web Locks API for the tabs of one till: an exclusive lock per name, granted in request
 * order, held until the callback's promise settles. A closed tab's engine lets go in `stop()`.
 */
export class TillLocks implements LocksLike {
  readonly #queues = new Map<string, Array<() => void>>();
  readonly #held = new Set<string>();

  request(name: string, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run = () => {
        this.#held.add(name);
        let result: Promise<void>;
        try {
          result = Promise.resolve(callback());
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(resolve, reject).finally(() => {
          this.#held.delete(name);
          const next = this.#queues.get(name)?.shift();
          next?.();
        });
      };
      if (this.#held.has(name)) {
        const queue = this.#queues.get(name) ?? [];
        queue.push(run);
        this.#queues.set(name, queue);
      } else {
        run();
      }
    });
  }
}

/** Opens a Dexie connection to the till's database in the till's own fake-indexeddb factory. */
function openTillDb(factory: IDBFactory, name: string): TillDb {
  // Dexie reads its IndexedDB from `Dexie.dependencies` when a database object is constructed;
  // TillDb takes no options, so the till's factory is put there just for the constructor.
  const dependencies = Dexie.dependencies;
  const saved = { indexedDB: dependencies.indexedDB, IDBKeyRange: dependencies.IDBKeyRange };
  dependencies.indexedDB = factory;
  dependencies.IDBKeyRange = IDBKeyRange;
  try {
    return new TillDb(name);
  } finally {
    dependencies.indexedDB = saved.indexedDB;
    dependencies.IDBKeyRange = saved.IDBKeyRange;
  }
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

const HEALTH_EVERY_MS = 15_000;
const UPDATES_EVERY_MS = 20_000;

/** One open tab of a till. */
export class SimTab {
  readonly engine: SyncEngine;
  readonly monitor: GatewayMonitor;
  closed = false;
  readonly #abort = new AbortController();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #fetch: FetchLike;
  readonly #api: ApiTarget;
  #pulling = false;
  #lastPhase = 'stopped';

  constructor(
    readonly till: SimTill,
    readonly db: TillDb,
    readonly number: number,
  ) {
    const { clock, proxyUrl, seed, timeouts } = till.ctx;
    this.#fetch = (input, init) => this.#request(input, init);
    this.#api = { baseUrl: proxyUrl, fetch: this.#fetch, now: () => clock.now() };
    const random = new Prng(seed).fork(`till-${till.index}-tab-${number}`);
    this.engine = new SyncEngine({
      db,
      baseUrl: proxyUrl,
      fetch: this.#fetch,
      now: () => clock.now(),
      random: random.asFunction(),
      setTimer: (callback, ms) => this.#setTimer(callback, ms),
      clearTimer: (handle: TimerHandle) => this.#clearTimer(handle),
      locks: till.locks,
      appVersion: 'sim',
      requestTimeoutMs: timeouts.pushMs,
      batchSize: till.ctx.batchSize,
    });
    // As browser-services.ts wires it: the engine's last request is one more witness.
    this.monitor = new GatewayMonitor({
      now: () => clock.now(),
      syncContact: () => this.engine.getSnapshot().lastContact,
    });
    // use-payment-updates.ts: the leader pulls after every acknowledged push.
    this.engine.subscribe((snapshot) => {
      if (this.#lastPhase === 'pushing' && snapshot.phase === 'idle') this.#pullUpdates();
      this.#lastPhase = snapshot.phase;
    });
  }

  start(): void {
    this.engine.start();
    this.#every(HEALTH_EVERY_MS, () => void this.pingHealth());
    this.#every(UPDATES_EVERY_MS, () => this.#pullUpdates());
    void this.pingHealth();
  }

  /** The tab dies: its requests are cut, its timers and lock released, its connection closed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#abort.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.engine.stop();
    this.db.close();
  }

  /** The `online` event (use-sync-lifecycle, use-payment-updates). */
  cameOnline(): void {
    this.engine.trigger('online');
    this.#pullUpdates();
    void this.pingHealth();
  }

  /** status-queries.ts `healthQuery`: each answer tells the monitor what the breaker says. */
  async pingHealth(): Promise<HealthResponse | null> {
    if (this.closed || !this.till.online) return null;
    const outcome = await getHealth({ ...this.#api, timeoutMs: this.till.ctx.timeouts.healthMs });
    if (this.closed) return null;
    if (outcome.kind !== 'ok') {
      this.monitor.noteHealthFailure(outcome.kind === 'error');
      return null;
    }
    this.monitor.noteHealth(outcome.body);
    return outcome.body;
  }

  /** A pull of payment outcomes, from the leader tab only, one at a time. */
  #pullUpdates(): void {
    if (this.closed || !this.till.online || this.#pulling || !this.engine.getSnapshot().leader) return;
    this.#pulling = true;
    void pullPaymentUpdates(this.db, this.#api, () => this.till.ctx.clock.now())
      .catch(() => undefined)
      .finally(() => {
        this.#pulling = false;
      });
  }

  /** Pulls now and waits for it (liveness phase). */
  async pullNow(): Promise<void> {
    if (this.closed || !this.till.online || !this.engine.getSnapshot().leader) return;
    await pullPaymentUpdates(this.db, this.#api, () => this.till.ctx.clock.now()).catch(() => undefined);
  }

  /**
   * One sale, as the sell screen takes it: cart → card payments (each with an id made once, I4)
   * → cash for what remains → one IndexedDB transaction (I1). Card outcomes that are not a
   * tender (declined, over the offline limit, refused) leave the amount to cash, as a cashier
   * would. Throws only if the tab dies under it.
   */
  async sell(spec: SaleSpec): Promise<void> {
    const { clock } = this.till.ctx;
    const device = await getDevice(this.db);
    if (!device) throw new Error('not enrolled');
    const products = await this.db.catalog.orderBy('sku').toArray();
    let cart: Cart = EMPTY_CART;
    for (const item of spec.items) {
      const product = products[item.product % products.length];
      if (!product) continue;
      for (let n = 0; n < item.qty; n++) cart = cartReducer(cart, { type: 'add', product });
    }
    const total = cartTotals(cart, device.store.taxMode).total;
    const saleId = uuidv7();
    let session: TenderSession = newTenderSession(saleId);
    const recorder = { storeCode: device.store.code, deviceNo: device.deviceNo };
    const format = (amount: number) => formatMoney(amount, device.store.currency, device.store.locale);

    const firstShare = Math.max(1, Math.floor((total * spec.firstShare) / 1000));
    const plan =
      spec.pay === 'card'
        ? [total]
        : spec.pay === 'split'
          ? [firstShare]
          : spec.pay === 'two_cards'
            ? [firstShare, total]
            : [];
    for (const [part, planned] of plan.entries()) {
      const amount = Math.min(planned, remainingAmount(session, total));
      if (amount <= 0) continue;
      const paymentId = uuidv7();
      const reference = await predictReceiptNo(this.db, recorder);
      const result = await takeCardPayment(
        {
          db: this.db,
          target: this.#api,
          monitor: this.monitor,
          now: () => clock.now(),
          isOnline: () => this.till.online,
          format,
          captureTimeoutMs: this.till.ctx.timeouts.captureMs,
        },
        { paymentId, saleId, amount, reference, store: device.store, card: CARD_READS[spec.cards[part] ?? 'visa'] },
      );
      this.till.stats.cardResults[result.kind] += 1;
      this.till.ctx.log(
        `till ${this.till.index} tab ${this.number}: card ${paymentId} ${amount}: ${result.kind} (${result.message})`,
      );
      // use-tender-session: every capture answer refreshes what the till knows about the gateway.
      void this.pingHealth();
      if (result.kind !== 'captured' && result.kind !== 'stored') continue;
      const removable = result.kind === 'stored' && result.removable;
      session = addTender(session, result.tender, removable);
      if (removable && spec.removeStoredCard) {
        await cancelStoredPayment(this.db, paymentId, new Date(clock.now()).toISOString());
        session = removeTender(session, paymentId);
        this.till.stats.removedCards += 1;
      }
    }
    const remaining = remainingAmount(session, total);
    const cash = remaining > 0 ? { tenderId: uuidv7(), tendered: remaining + spec.extraCash } : null;
    const tenders = completingTenders(session, total, cash);
    const draft = buildSaleDraft(cart, device.store, tenders, saleId, new Date(clock.now()));
    // The cashier taps "Complete" again after "the ledger was busy" (two tabs recording at once).
    for (let attempt = 1; ; attempt++) {
      try {
        const sale = await recordSale(this.db, draft, recorder);
        this.till.completedSaleIds.push(sale.id);
        this.till.stats.sales += 1;
        break;
      } catch (error) {
        if (!(error instanceof ChainContentionError) || attempt >= 5) throw error;
        this.till.stats.contention += 1;
      }
    }
    this.till.noteSale();
  }

  #request(input: string, init?: RequestInit): Promise<Response> {
    if (this.closed) return Promise.reject(new TypeError('Failed to fetch: the tab is closed'));
    if (!this.till.online) return Promise.reject(new TypeError('Failed to fetch: offline'));
    const signals = [this.#abort.signal, this.till.network.signal];
    if (init?.signal) signals.push(init.signal);
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  }

  #setTimer(callback: () => void, simMs: number): TimerHandle {
    if (this.closed) return null;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.closed) callback();
    }, this.till.ctx.clock.toReal(simMs));
    this.#timers.add(timer);
    return timer;
  }

  #clearTimer(handle: TimerHandle): void {
    if (handle === null) return;
    const timer = handle as ReturnType<typeof setTimeout>;
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  #every(simMs: number, callback: () => void): void {
    const tick = () => {
      callback();
      this.#setTimer(tick, simMs);
    };
    this.#setTimer(tick, simMs);
  }
}
