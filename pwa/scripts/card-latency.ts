/**
 * Time from "card tapped" to "sale recorded" (card decision + the sale's IndexedDB transaction),
 * per route, against the test FakeSyncServer on 127.0.0.1 and fake-indexeddb. Prints figures;
 * asserts nothing. Node's fake IndexedDB is not a browser's: read the figures as the cost of the
 * till's own logic and one local round trip, not as device benchmarks.
 *
 *   npx tsx pwa/scripts/card-latency.ts
 */
import 'fake-indexeddb/auto';
import { formatMoney, uuidv7 } from '@till/shared';
import { predictReceiptNo, recordSale } from '../src/db/index.ts';
import { GatewayMonitor } from '../src/features/card-payments/gateway-monitor.ts';
import { type CardPaymentContext, takeCardPayment } from '../src/features/card-payments/take-card-payment.ts';
import { TEST_CARDS } from '../src/features/card-reader/test-cards.ts';
import { type CaptureBehaviour, GATEWAY_DOWN } from '../src/test-support/fake-payments.ts';
import { FakeSyncServer } from '../src/test-support/fake-sync-server.ts';
import { openEnrolledDb, saleDraftPaidBy, TEST_STORE } from '../src/test-support/ledger-fixtures.ts';

const recorder = { storeCode: 'DEMO', deviceNo: 3 };
const card = TEST_CARDS[0]?.read;
if (!card) throw new Error('no test card');

interface Scenario {
  name: string;
  runs: number;
  online: boolean;
  /** Prepares the monitor (what the till already knows) and the server's next answer. */
  before: (monitor: GatewayMonitor, server: FakeSyncServer) => void;
}

const health = (breaker: 'open' | 'closed') => ({
  status: 'ok' as const,
  version: 'bench',
  protocolVersion: 1,
  time: new Date().toISOString(),
  checks: {},
  gateway: { breaker, retryAfterSeconds: 30, backlog: 0 },
});
const late504: CaptureBehaviour = {
  status: 504,
  delayMs: 4_000,
  body: { error: 'gateway_timeout', message: 'The gateway did not answer in time' },
};

const scenarios: Scenario[] = [
  { name: 'breaker known open → stored at once', runs: 50, online: true, before: (m) => m.noteHealth(health('open')) },
  { name: 'offline → stored at once', runs: 50, online: false, before: () => {} },
  { name: 'healthy live capture (instant gateway)', runs: 50, online: true, before: () => {} },
  {
    name: 'healthy live capture (gateway 300 ms)',
    runs: 10,
    online: true,
    before: (_m, s) => void s.nextCapture({ delayMs: 300 }),
  },
  {
    name: 'first 503 (breaker just opened) → stored',
    runs: 20,
    online: true,
    before: (_m, s) => void s.nextCapture(GATEWAY_DOWN),
  },
  {
    name: 'server 504 after its 4 s timeout → stored',
    runs: 2,
    online: true,
    before: (_m, s) => void s.nextCapture(late504),
  },
  {
    name: 'no answer: client 6 s timeout → stored',
    runs: 1,
    online: true,
    before: (_m, s) => void s.nextCapture('hang'),
  },
];

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return `median ${at(0.5).toFixed(1)} ms · p95 ${at(0.95).toFixed(1)} ms · max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`;
}

const server = await new FakeSyncServer().start();
try {
  console.log('card tapped → sale recorded (IndexedDB commit), per route');
  for (const scenario of scenarios) {
    const samples: number[] = [];
    const outcomes = new Set<string>();
    for (let run = 0; run < scenario.runs; run++) {
      // A fresh till each run, so the device's stored total never reaches its limit.
      const db = await openEnrolledDb();
      const monitor = new GatewayMonitor({ now: () => Date.now() });
      scenario.before(monitor, server);
      const ctx: CardPaymentContext = {
        db,
        target: { baseUrl: server.url, fetch: (input, init) => fetch(input, init) },
        monitor,
        now: () => Date.now(),
        isOnline: () => scenario.online,
        format: (amount) => formatMoney(amount, 'EUR', 'en-IE'),
      };
      const saleId = uuidv7();
      const tapped = performance.now();
      const reference = await predictReceiptNo(db, recorder);
      const result = await takeCardPayment(ctx, {
        paymentId: uuidv7(),
        saleId,
        amount: 1_250,
        reference,
        store: TEST_STORE,
        card,
      });
      if (result.kind !== 'captured' && result.kind !== 'stored') throw new Error(`${scenario.name}: ${result.kind}`);
      await recordSale(db, saleDraftPaidBy(saleId, [result.tender]), recorder);
      samples.push(performance.now() - tapped);
      outcomes.add(result.kind === 'stored' ? `stored (${result.tender.storedReason})` : 'captured');
      db.close();
    }
    console.log(
      `  ${scenario.name.padEnd(44)} n=${String(scenario.runs).padStart(2)}  ${summary(samples)}  → ${[...outcomes].join(', ')}`,
    );
  }
} finally {
  await server.close();
}
