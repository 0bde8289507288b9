import { formatMoney, type HealthResponse, uuidv7 } from '@till/shared';
import { type ApiTarget, getHealth } from '../../../pwa/src/api/endpoints.ts';
import type { FetchLike } from '../../../pwa/src/api/http.ts';
import {
  ChainContentionError,
  cancelStoredPayment,
  getDevice,
  predictReceiptNo,
  recordSale,
  type TillDb,
} from '../../../pwa/src/db/index.ts';
import { GatewayMonitor } from '../../../pwa/src/features/card-payments/gateway-monitor.ts';
import { pullPaymentUpdates } from '../../../pwa/src/features/card-payments/payment-updates.ts';
import { takeCardPayment } from '../../../pwa/src/features/card-payments/take-card-payment.ts';
import type { CardRead } from '../../../pwa/src/features/card-reader/card-reader.ts';
import { TEST_CARDS } from '../../../pwa/src/features/card-reader/test-cards.ts';
import { buildSaleDraft } from '../../../pwa/src/features/sell/build-sale-draft.ts';
import { type Cart, cartReducer, cartTotals, EMPTY_CART } from '../../../pwa/src/features/sell/cart.ts';
import {
  addTender,
  completingTenders,
  newTenderSession,
  remainingAmount,
  removeTender,
  type TenderSession,
} from '../../../pwa/src/features/sell/tender-session.ts';
import { SyncEngine, type TimerHandle } from '../../../pwa/src/features/sync/sync-engine.ts';
import { Prng } from '../prng.ts';
import type { CardKind, SaleSpec } from '../schedule.ts';
import type { SimTill } from './sim-till.ts';

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
