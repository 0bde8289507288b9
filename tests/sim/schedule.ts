import type { FaultRequest } from '../../scripts/gateway-simulator/control-client.ts';
import { CLEAN, type FaultProfile } from './fault-proxy.ts';
import { Prng } from './prng.ts';

/**
 * A run's schedule: everything the simulation does on purpose, drawn from the seed before the
 * run starts. It is plain JSON, so a failing run can print it, save it, shrink it and replay it.
 */

/** The test cards of the gateway simulator (Stripe's test PaymentMethods). */
export type CardKind = 'visa' | 'mastercard' | 'declined' | 'insufficient';

/** One sale as the cashier rings it up. */
export interface SaleSpec {
  /** Catalog lines: product index (into the catalog sorted by SKU, modulo its size) and quantity. */
  items: Array<{ product: number; qty: number }>;
  /** How it is paid: all cash, one card, a card then cash (split), two cards (then cash if any remains). */
  pay: 'cash' | 'card' | 'split' | 'two_cards';
  /** The card tapped for each card part, in order. */
  cards: CardKind[];
  /** Share of the total the first card takes in a split or two-card sale, in per mille. */
  firstShare: number;
  /** Cash handed over beyond what remains (change is given). */
  extraCash: number;
  /** If a card ends up stored but removable (nothing can have been charged), take it off and pay cash. */
  removeStoredCard: boolean;
}

export type Step =
  /** A sale on a tab of a till (the tab is opened first if the till has none open). */
  | { kind: 'sell'; till: number; tab: number; sale: SaleSpec }
  /** Two sales at the same moment in two tabs of one till (a second tab is opened if needed). */
  | { kind: 'sell_together'; till: number; sales: [SaleSpec, SaleSpec] }
  /** A sale whose tab is closed `afterMs` after it starts: mid card payment, mid record or mid sync. */
  | { kind: 'sell_then_close'; till: number; tab: number; sale: SaleSpec; afterMs: number }
  /** Closes a tab abruptly (its requests are cut, its timers and database connection die). */
  | { kind: 'close_tab'; till: number; tab: number }
  /** Opens a tab of a till (a reopen, or a second tab next to the first). */
  | { kind: 'open_tab'; till: number }
  /** The tablet is backed up (its whole IndexedDB, as a device backup would). */
  | { kind: 'backup'; till: number }
  /**
   * The tablet is restored from its last backup (no-op without one): the app restarts on an
   * older ledger and sells again from an older deviceSeq — reused seqs and a forked hash chain
   * that the server must store, flagged (I3).
   */
  | { kind: 'restore'; till: number }
  /** The till's own network goes down for `forMs` (navigator.onLine false, requests cut and refused). */
  | { kind: 'till_offline'; till: number; forMs: number }
  /** What the network between tills and server does to requests, for `forMs` (then clean). */
  | { kind: 'network'; profile: FaultProfile; forMs: number }
  /** The payment gateway's fault mode for `forMs`, then up (gateway simulator control port). */
  | { kind: 'gateway'; fault: FaultRequest; forMs: number }
  /**
   * SIGKILL the server `delayMs` after the next request of the trigger's kind reaches it (`now`:
   * at once), restart it on the same file `downMs` later. `push` = mid batch, `gateway_call` =
   * mid drain or mid live capture.
   */
  | { kind: 'crash'; trigger: 'now' | 'push' | 'capture' | 'gateway_call'; delayMs: number; downMs: number };

/** A step and how long (real ms) the timeline waits after dispatching it. */
export interface TimedStep {
  step: Step;
  gapMs: number;
}

/** The store's store-and-forward limits (USD minor units). */
export interface StoreProfile {
  maxPerPayment: number;
  maxTotalPerDevice: number;
  maxAgeMinutes: number;
}

export interface Schedule {
  seed: number;
  tills: number;
  store: StoreProfile;
  /** Most sales per push (the app's default is 100; small batches make multi-batch backlogs). */
  batchSize: number;
  steps: TimedStep[];
}

export interface ScheduleOptions {
  tills: number;
  steps: number;
}

const CARD_KINDS: ReadonlyArray<readonly [CardKind, number]> = [
  ['visa', 45],
  ['mastercard', 35],
  ['declined', 12],
  ['insufficient', 8],
];

/** Draws the schedule of `seed`. The same seed and options always give the same schedule. */
export function generateSchedule(seed: number, options: ScheduleOptions): Schedule {
  const random = new Prng(seed).fork('schedule');
  const store: StoreProfile = random.chance(0.5)
    ? { maxPerPayment: 10_000, maxTotalPerDevice: 50_000, maxAgeMinutes: 24 * 60 } // the defaults
    : {
        // Tight limits and a short life: over-limit refusals and expiries happen within a run.
        maxPerPayment: random.pick([1_500, 3_000, 6_000]),
        maxTotalPerDevice: random.pick([4_000, 8_000, 15_000]),
        maxAgeMinutes: random.pick([1, 2, 5]),
      };
  const batchSize = random.pick([2, 5, 100]);
  const steps: TimedStep[] = [];
  for (let i = 0; i < options.steps; i++) {
    steps.push({ step: drawStep(random, options.tills), gapMs: drawGap(random) });
  }
  return { seed, tills: options.tills, store, batchSize, steps };
}

function drawGap(random: Prng): number {
  return random.weighted<number>([
    [0, 3],
    [random.int(1, 60), 4],
    [random.int(60, 250), 3],
    [random.int(250, 700), 1],
  ]);
}

function drawStep(random: Prng, tills: number): Step {
  const till = random.int(0, tills - 1);
  const kind = random.weighted<Step['kind']>([
    ['sell', 42],
    ['sell_together', 6],
    ['sell_then_close', 5],
    ['close_tab', 4],
    ['open_tab', 4],
    ['till_offline', 4],
    ['network', 11],
    ['gateway', 14],
    ['crash', 6],
    ['backup', 3],
    ['restore', 2],
  ]);
  switch (kind) {
    case 'sell':
      return { kind, till, tab: random.int(0, 1), sale: drawSale(random) };
    case 'sell_together':
      return { kind, till, sales: [drawSale(random), drawSale(random)] };
    case 'sell_then_close':
      return { kind, till, tab: random.int(0, 1), sale: drawSale(random, 'card'), afterMs: random.int(0, 120) };
    case 'close_tab':
      return { kind, till, tab: random.int(0, 1) };
    case 'open_tab':
    case 'backup':
    case 'restore':
      return { kind, till };
    case 'till_offline':
      return { kind, till, forMs: drawWindow(random) };
    case 'network':
      return { kind, profile: drawProfile(random), forMs: drawWindow(random) };
    case 'gateway':
      return { kind, fault: drawGatewayFault(random), forMs: drawWindow(random) };
    case 'crash':
      return {
        kind,
        trigger: random.weighted<'now' | 'push' | 'capture' | 'gateway_call'>([
          ['now', 2],
          ['push', 4],
          ['capture', 2],
          ['gateway_call', 3],
        ]),
        delayMs: random.weighted<number>([
          [0, 2],
          [random.int(1, 8), 3],
          [random.int(8, 40), 2],
        ]),
        downMs: random.int(50, 1_500),
      };
  }
}

/** How long a fault lasts (real ms): mostly brief, now and then long enough for breakers and backoff to matter. */
function drawWindow(random: Prng): number {
  return random.weighted<number>([
    [random.int(100, 600), 4],
    [random.int(600, 2_000), 3],
    [random.int(2_000, 5_000), 1],
  ]);
}

function drawSale(random: Prng, pay?: SaleSpec['pay']): SaleSpec {
  const lines = random.weighted<number>([
    [1, 4],
    [2, 3],
    [3, 2],
    [5, 1],
  ]);
  const items = Array.from({ length: lines }, () => ({
    product: random.int(0, 63),
    // Now and then a large quantity, so card amounts cross the store-and-forward limits.
    qty: random.weighted<number>([
      [1, 10],
      [2, 4],
      [3, 2],
      [random.int(5, 12), 1],
    ]),
  }));
  const chosen =
    pay ??
    random.weighted<SaleSpec['pay']>([
      ['cash', 35],
      ['card', 35],
      ['split', 20],
      ['two_cards', 10],
    ]);
  return {
    items,
    pay: chosen,
    cards: [random.weighted(CARD_KINDS), random.weighted(CARD_KINDS)],
    firstShare: random.int(100, 900),
    extraCash: random.pick([0, 0, 0, 1, 37, 500, 2_000]),
    removeStoredCard: random.chance(0.1),
  };
}

function drawProfile(random: Prng): FaultProfile {
  const level = random.weighted<'clean' | 'lossy' | 'chaotic'>([
    ['clean', 3],
    ['lossy', 4],
    ['chaotic', 2],
  ]);
  if (level === 'clean') return CLEAN;
  const top = level === 'lossy' ? 0.12 : 0.3;
  const p = () => Math.round(random.next() * top * 1000) / 1000;
  return {
    dropRequest: p(),
    dropResponse: p(),
    delay: p(),
    duplicate: p(),
    reorder: p(),
    maxDelayMs: random.int(50, level === 'lossy' ? 600 : 2_500),
  };
}

function drawGatewayFault(random: Prng): FaultRequest {
  const mode = random.weighted<FaultRequest['mode']>([
    ['up', 30],
    ['down', 18],
    ['failing', 12],
    ['slow', 12],
    ['rate_limited', 12],
    ['commit_then_drop', 16],
  ]);
  switch (mode) {
    case 'slow':
      return { mode, latencyMs: random.int(200, 2_500) };
    case 'rate_limited':
      return {
        mode,
        ratePerSecond: random.int(1, 6),
        ...(random.chance(0.6) && { retryAfterSeconds: random.int(1, 3) }),
      };
    case 'commit_then_drop':
      return random.chance(0.3) ? { mode, latencyMs: random.int(50, 1_500) } : { mode };
    default:
      return { mode };
  }
}

/** One line per step, for failure reports. */
export function describeStep(timed: TimedStep, index: number): string {
  const { step } = timed;
  const at = `#${String(index).padStart(2, '0')} +${timed.gapMs}ms`;
  switch (step.kind) {
    case 'sell':
      return `${at} till ${step.till} tab ${step.tab}: sell ${describeSale(step.sale)}`;
    case 'sell_together':
      return `${at} till ${step.till}: two tabs sell at once: ${describeSale(step.sales[0])} | ${describeSale(step.sales[1])}`;
    case 'sell_then_close':
      return `${at} till ${step.till} tab ${step.tab}: sell ${describeSale(step.sale)}, tab closed after ${step.afterMs}ms`;
    case 'close_tab':
      return `${at} till ${step.till}: close tab ${step.tab}`;
    case 'open_tab':
      return `${at} till ${step.till}: open a tab`;
    case 'backup':
      return `${at} till ${step.till}: device backup`;
    case 'restore':
      return `${at} till ${step.till}: device restored from its last backup`;
    case 'till_offline':
      return `${at} till ${step.till}: offline for ${step.forMs}ms`;
    case 'network':
      return `${at} network for ${step.forMs}ms: ${JSON.stringify(step.profile)}`;
    case 'gateway':
      return `${at} gateway for ${step.forMs}ms: ${JSON.stringify(step.fault)}`;
    case 'crash':
      return `${at} server: SIGKILL ${step.trigger === 'now' ? 'now' : `${step.delayMs}ms after the next ${step.trigger}`}, restart after ${step.downMs}ms`;
  }
}

function describeSale(sale: SaleSpec): string {
  const lines = sale.items.map((item) => `${item.qty}×p${item.product}`).join('+');
  const cards = sale.pay === 'cash' ? '' : ` [${sale.cards.slice(0, sale.pay === 'two_cards' ? 2 : 1).join(',')}]`;
  return `${lines} by ${sale.pay}${cards}${sale.removeStoredCard ? ' (remove a stored card)' : ''}`;
}

export function describeSchedule(schedule: Schedule): string {
  return [
    `seed ${schedule.seed}: ${schedule.tills} tills, store limits ${JSON.stringify(schedule.store)}, batches of ${schedule.batchSize}, ${schedule.steps.length} steps`,
    ...schedule.steps.map((step, index) => `  ${describeStep(step, index)}`),
  ].join('\n');
}
