import type { PaymentActionResponse } from '@till/shared';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { TestGateway } from '../../test/gateway-helper.ts';
import { cardOf, rows, type TestServer, type TestTill } from '../../test/helper.ts';
import { signIn } from '../../test/manager-helper.ts';
import type { PaymentGateway } from '../gateway/payment-gateway.ts';
import { createStripeGateway } from '../gateway/stripe-gateway.ts';
import type { CaptureWorker } from '../payments/capture-worker.ts';

/**
 * THE capture queue contract: one suite that every `CaptureQueue` must pass — the SQL outbox
 * always, Service Bus when a namespace is reachable (after tldraw's `storageContractSuite.ts`).
 * Each leg starts the real app over a real SQLite ledger and the gateway simulator, with the
 * queue under test feeding the capture worker, and drives it in passes (`runOnce`) while time
 * moves on. What is asserted is what a shop relies on, whatever carries the deliveries:
 *
 * - every due payment is delivered until it is final (I5);
 * - a duplicated or redelivered delivery charges nothing twice (I4);
 * - backoff holds: no attempt before the payment's `next_attempt_at` (PAY-7);
 * - a poison payment is quarantined with its reason and the rest flow (I9, PAY-10);
 * - a quarantined payment a manager sends back ("Retry now") is delivered again (PAY-10).
 */
export interface QueueLeg {
  /** How far time moves between passes, and how many passes a property may take. */
  stepMs: number;
  maxSteps: number;
  /** Starts an app whose capture worker takes payments from this queue. */
  start(gateway: PaymentGateway): Promise<QueueHarness>;
}

export interface QueueHarness {
  server: TestServer;
  worker: CaptureWorker;
  /** Pushes stored card sales (one per token, made now) and returns their payment ids. */
  pushCardSales(tokens: string[]): Promise<string[]>;
  /** One delivery pass now; resolves when what was delivered has been worked and settled. */
  pass(): Promise<void>;
  /** Lets `ms` pass: the test clock, or real time against a live namespace. */
  advance(ms: number): Promise<void>;
  /**
   * The transport delivers this payment once more, as a duplicated message, a redelivery or a
   * second worker claiming at the same moment would.
   */
  deliverAgain(paymentId: string): Promise<void>;
  /** What was dead-lettered naming these payments; undefined when the queue has no dead letters. */
  deadLetters?(paymentIds: string[]): Promise<{ paymentId: string; reason: string; description: string }[]>;
  close(): Promise<void>;
}

interface PaymentRow {
  state: string;
  attempts: number;
  next_attempt_at: string;
  quarantine_reason: string | null;
}

interface AttemptRow {
  kind: string;
  outcome: string;
  started_at: string;
}

export function captureQueueContract(leg: QueueLeg, simulator: () => TestGateway): void {
  let stripe: ReturnType<typeof createStripeGateway>;
  /** Payments whose capture throws a non-gateway error (a bug, a corrupt row): poison. */
  const poison = new Set<string>();
  let h: QueueHarness;

  beforeAll(() => {
    stripe = createStripeGateway({ apiKey: 'sk_test_till_tests', baseUrl: simulator().apiUrl, timeoutMs: 2000 });
  });
  afterAll(() => stripe.close());
  beforeEach(async () => {
    poison.clear();
    await simulator().control.setFault({ mode: 'up' });
    h = await leg.start({
      capture: async (request, options) => {
        if (poison.has(request.paymentId)) throw new TypeError('cannot read properties of undefined (reading amount)');
        return stripe.capture(request, options);
      },
      lookup: (id) => stripe.lookup(id),
    });
    return () => h.close();
  });

  const payment = (id: string) => rows<PaymentRow>(h.server.sql, 'payments', { id })[0];
  const attempts = (id: string) =>
    h.server.sql
      .prepare('select kind, outcome, started_at from payment_attempts where payment_id = ? order by n')
      .all(id) as AttemptRow[];
  const charges = async (id: string) => (await simulator().ledger()).counts.byIdempotencyKey[id] ?? 0;
  const stateOf = (id: string) => payment(id)?.state;
  /** Passes until `done`, moving time on by `stepMs` between them. */
  const until = async (what: string, done: () => boolean) => {
    for (let step = 0; step < leg.maxSteps; step += 1) {
      await h.pass();
      if (done()) return;
      await h.advance(leg.stepMs);
    }
    throw new Error(`not reached after ${leg.maxSteps} passes: ${what}`);
  };
  const final = (id: string) => ['captured', 'declined', 'expired', 'written_off'].includes(stateOf(id) ?? '');

  it('[I5][PAY-6] every due payment is delivered until it is final, through failures', async () => {
    await simulator().control.setFault({ mode: 'failing' });
    const ids = await h.pushCardSales(['pm_card_visa', 'pm_card_mastercard', 'pm_card_chargeDeclined', 'pm_card_visa']);
    await h.pass();
    expect(ids.map((id) => payment(id)?.attempts)).toEqual([1, 1, 1, 1]);
    expect(ids.map(stateOf)).toEqual(['pending', 'pending', 'pending', 'pending']);

    await simulator().control.setFault({ mode: 'up' });
    await until('all final', () => ids.every(final));
    expect(ids.map(stateOf)).toEqual(['captured', 'captured', 'declined', 'captured']);
    for (const id of [ids[0], ids[1], ids[3]] as string[]) expect(await charges(id)).toBe(1);
  });

  it('[I4] a duplicated or redelivered delivery charges once', async () => {
    const [id] = (await h.pushCardSales(['pm_card_visa'])) as [string];
    await h.deliverAgain(id); // two deliveries of one due payment, at once
    await until('captured', () => stateOf(id) === 'captured');
    expect(await charges(id)).toBe(1);
    expect(attempts(id).filter((attempt) => attempt.kind === 'capture')).toHaveLength(1);

    await h.deliverAgain(id); // and once more after it is final
    await h.pass();
    await h.advance(leg.stepMs);
    await h.pass();
    expect(await charges(id)).toBe(1);
    expect(attempts(id)).toHaveLength(1);
  });

  it('[PAY-7] backoff holds: a payment is not attempted again before its next_attempt_at', async () => {
    await simulator().control.setFault({ mode: 'failing' });
    const [id] = (await h.pushCardSales(['pm_card_visa'])) as [string];
    await h.pass();
    const backoffUntil = payment(id)?.next_attempt_at ?? '';
    expect(attempts(id)).toEqual([expect.objectContaining({ outcome: 'retryable' })]);
    expect(Date.parse(backoffUntil)).toBeGreaterThan(Date.parse(attempts(id)[0]?.started_at ?? ''));

    await simulator().control.setFault({ mode: 'up' });
    await until('captured', () => stateOf(id) === 'captured');
    const [, second] = attempts(id);
    expect(attempts(id)).toHaveLength(2);
    expect((second?.started_at ?? '') >= backoffUntil).toBe(true);
    expect(await charges(id)).toBe(1);
  });

  it('[I9][PAY-10] a poison payment is quarantined with its reason while the rest flow', async () => {
    const ids = await h.pushCardSales([
      'pm_card_visa',
      'pm_card_visa',
      'pm_card_thisTokenIsUnknownToTheGateway',
      'pm_card_mastercard',
    ]);
    const [first, poisoned, unknownToken, last] = ids as [string, string, string, string];
    poison.add(poisoned);
    await until('the rest final and the poison set aside', () =>
      [first, unknownToken, last, poisoned].every((id) => final(id) || stateOf(id) === 'quarantined'),
    );
    expect(ids.map(stateOf)).toEqual(['captured', 'quarantined', 'quarantined', 'captured']);
    expect(payment(poisoned)?.quarantine_reason).toContain('3 unexpected errors');
    expect(payment(unknownToken)?.quarantine_reason).toContain('invalid_request');
    expect(await charges(poisoned)).toBe(0);
    if (h.deadLetters !== undefined) {
      // The dead-letter queue and the ledger agree: each set-aside payment's message is there, with its reason.
      const dead = await h.deadLetters(ids);
      expect(dead.map((letter) => letter.paymentId).sort()).toEqual([poisoned, unknownToken].sort());
      for (const letter of dead) {
        expect(letter.reason).toBe('PaymentQuarantined');
        expect(letter.description).toBe(payment(letter.paymentId)?.quarantine_reason);
      }
    }
  });

  it('[PAY-10][MGR-7] a quarantined payment a manager sends back ("Retry now") is delivered again and charged once', async () => {
    const [id] = (await h.pushCardSales(['pm_card_visa'])) as [string];
    poison.add(id);
    await until('quarantined', () => stateOf(id) === 'quarantined');
    poison.delete(id); // the cause is fixed

    const owner = await signIn(h.server);
    const response = await owner.send('POST', owner.store('/payments/actions'), {
      action: 'retry_now',
      paymentIds: [id],
    });
    expect(response.json<PaymentActionResponse>().results).toEqual([
      expect.objectContaining({ paymentId: id, outcome: 'done' }),
    ]);
    await until('captured', () => stateOf(id) === 'captured');
    expect(await charges(id)).toBe(1);
    // Three failed captures set it aside; sent back, it was looked up first (any of them might
    // have charged), then captured under the same key.
    const log = attempts(id).map((attempt) => `${attempt.kind}:${attempt.outcome}`);
    expect(log.filter((entry) => entry.startsWith('capture'))).toEqual([
      'capture:error',
      'capture:error',
      'capture:error',
      'capture:captured',
    ]);
    expect(log.slice(-2)).toEqual(['lookup:not_found', 'capture:captured']);
  });
}

/** Pushes stored card sales made at `now` (so they expire a day after it) through `till`. */
export async function pushCardSalesNow(till: TestTill, tokens: string[], now: Date): Promise<string[]> {
  const sales = [];
  for (const token of tokens) {
    sales.push(await till.nextCardSale({ gatewayToken: token }, (sale) => ({ ...sale, createdAt: now.toISOString() })));
  }
  const response = await till.push(till.pushBody(sales));
  if (response.statusCode !== 200) throw new Error(`push failed: ${response.statusCode} ${response.body}`);
  return sales.map((sale) => cardOf(sale).id);
}
