import type { FastifyBaseLogger } from 'fastify';
import type { CircuitBreaker } from '../gateway/circuit-breaker.ts';
import type { PaymentGateway } from '../gateway/payment-gateway.ts';
import type { RateLimiter } from '../gateway/rate-limiter.ts';
import type { CaptureConsumer, CaptureQueue, WorkOutcome } from '../queue/capture-queue.ts';
import { SqlOutboxQueue } from '../queue/sql-outbox-queue.ts';
import type { Lease, PaymentClaim, PaymentRecord, PaymentStore } from '../store/payment-store.ts';
import { changeForUnexpected, type RetryPolicy } from './capture-rules.ts';
import { processPayment } from './process-payment.ts';
import { redactSecrets } from './redact.ts';

export interface CaptureWorkerOptions {
  store: PaymentStore;
  /** The gateway behind the breaker and this worker's rate limiter (`guardedGateway`). */
  gateway: PaymentGateway;
  breaker: CircuitBreaker;
  /** The limiter inside `gateway`: while a 429's `Retry-After` pause lasts, nothing is claimed. */
  limiter?: Pick<RateLimiter, 'state'>;
  /** Unique per worker (process + instance): the lease owner and the attempt log's worker id. */
  workerId: string;
  /** Payments in flight at once. */
  concurrency: number;
  /** How long a claim is this worker's. Must cover a rate-limit wait plus a gateway timeout. */
  leaseMs: number;
  /** How long to sleep when nothing is due (the SQL outbox queue). */
  idlePollMs: number;
  timeoutMs: number;
  policy: RetryPolicy;
  now: () => Date;
  /** Resolves after `ms`, or early when `signal` aborts (wake-up, stop). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  log: FastifyBaseLogger;
  /** Where due payments come from; by default the SQL outbox (the `payments` table itself). */
  queue?: CaptureQueue;
}

export interface CaptureWorkerStats {
  claimed: number;
  finished: number;
  /** Exceptions that were not gateway answers (each counted on its payment too). */
  errors: number;
  /** Work whose result was not applied: the lease had been lost and the row was not final. */
  leaseLost: number;
}

/**
 * The capture worker: takes due payments from its queue (`CaptureQueue`: the SQL outbox, or
 * Service Bus), claims each one's lease in SQL, runs it ONCE through `processPayment` (the
 * gateway behind the breaker and the rate limiter) and records the result — all attempts and
 * the next state in one transaction. Any number of workers, in any number of processes, may
 * share one ledger: the lease makes each payment one worker's at a time, and the payment id as
 * idempotency key makes even a lost lease (a frozen worker) harmless at the gateway (I4).
 *
 * One payment's failure never stops the drain (I9): exceptions are counted on that payment,
 * which is quarantined after `policy.maxErrors`.
 */
export class CaptureWorker implements CaptureConsumer {
  readonly stats: CaptureWorkerStats = { claimed: 0, finished: 0, errors: 0, leaseLost: 0 };
  readonly queue: CaptureQueue;
  readonly #options: CaptureWorkerOptions;
  #lastBreakerState = 'closed';

  constructor(options: CaptureWorkerOptions) {
    this.#options = options;
    this.queue =
      options.queue ?? new SqlOutboxQueue({ idlePollMs: options.idlePollMs, sleep: options.sleep, log: options.log });
  }

  get running(): boolean {
    return this.queue.running;
  }

  get concurrency(): number {
    return this.#options.concurrency;
  }

  /** Starts taking payments from the queue in the background. */
  start(): void {
    this.queue.start(this);
  }

  /** Cuts an idle wait short, e.g. after a push queued new payments. */
  wake(): void {
    this.queue.wake();
  }

  /** Stops taking payments, lets in-flight ones finish and record, then resolves. */
  stop(): Promise<void> {
    return this.queue.stop();
  }

  /**
   * One pass, for tests on a controlled clock: nothing while the breaker is open, one payment
   * when half-open, else what is due now (up to `limit`); returns how many were processed.
   * Never sleeps.
   */
  runOnce(limit = this.#options.concurrency): Promise<number> {
    return this.queue.runOnce(this, limit);
  }

  /**
   * How long to claim nothing: until the breaker's next probe while it is open, or until a
   * gateway `Retry-After` pause ends. Claiming meanwhile would only churn leases and attempts.
   */
  holdMs(): number {
    const now = this.#options.now().getTime();
    const breaker = this.#options.breaker.state();
    const probeAt = breaker.state === 'open' && breaker.nextProbeAt !== null ? breaker.nextProbeAt : now;
    const pausedUntil = this.#options.limiter?.state().pausedUntil ?? now;
    return Math.max(0, probeAt - now, pausedUntil - now);
  }

  halfOpen(): boolean {
    return this.#options.breaker.state().state === 'half_open';
  }

  /**
   * The gateway is back (the breaker closed after being open): payments that backed off during
   * the outage become due now, so the backlog drains at the gateway's rate instead of trickling
   * out as each backoff — up to minutes — runs out. Runs once per recovery.
   */
  async expediteIfGatewayRecovered(): Promise<void> {
    const state = this.#options.breaker.state().state;
    const recovered = state === 'closed' && this.#lastBreakerState !== 'closed';
    this.#lastBreakerState = state;
    if (!recovered) return;
    const count = await this.#options.store.expediteRetries(this.#options.now().toISOString());
    if (count > 0) this.#options.log.info({ count }, 'gateway is back: backed-off payments are due now');
  }

  async claimDue(limit: number): Promise<PaymentRecord[]> {
    if (limit <= 0) return [];
    const claimed = await this.#options.store.claimDuePayments(this.#lease(), this.#options.now().toISOString(), limit);
    this.stats.claimed += claimed.length;
    return claimed;
  }

  async claim(tenantId: string, paymentId: string): Promise<PaymentClaim> {
    const claim = await this.#options.store.claimPayment(
      tenantId,
      paymentId,
      this.#lease(),
      this.#options.now().toISOString(),
    );
    if (claim.kind === 'claimed') this.stats.claimed += 1;
    return claim;
  }

  async work(payment: PaymentRecord): Promise<WorkOutcome> {
    const { store, workerId, log } = this.#options;
    try {
      const result = await processPayment(payment, this.#options);
      const applied = await store.finishPaymentWork({
        tenantId: payment.tenantId,
        paymentId: payment.id,
        owner: workerId,
        attempts: result.attempts,
        change: result.change,
        now: this.#options.now().toISOString(),
      });
      if (!applied) this.stats.leaseLost += 1;
      this.stats.finished += 1;
      if (result.change.state !== payment.state) {
        log.info(
          {
            paymentId: payment.id,
            from: payment.state,
            to: result.change.state,
            ...(result.change.lastError && { reason: result.change.lastError }),
          },
          'payment state changed',
        );
      }
      return {
        recorded: true,
        applied,
        state: result.change.state,
        quarantineReason: result.change.quarantineReason ?? null,
      };
    } catch (error) {
      // Not a gateway answer: our own code or the store failed on this payment.
      this.stats.errors += 1;
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      log.error({ paymentId: payment.id, error: message }, 'capture worker: processing a payment failed');
      try {
        const { policy, random } = this.#options;
        const change = changeForUnexpected(payment, new Error(message), true, this.#options.now(), policy, random);
        const applied = await store.finishPaymentWork({
          tenantId: payment.tenantId,
          paymentId: payment.id,
          owner: workerId,
          attempts: [],
          change,
          now: this.#options.now().toISOString(),
        });
        return { recorded: true, applied, state: change.state, quarantineReason: change.quarantineReason ?? null };
      } catch (recordError) {
        // The store is failing: the lease will lapse and the payment will be claimed again.
        log.error({ err: recordError, paymentId: payment.id }, 'capture worker: could not record a failure');
        return { recorded: false, error: message };
      }
    }
  }

  #lease(): Lease {
    const now = this.#options.now();
    return { owner: this.#options.workerId, expiresAt: new Date(now.getTime() + this.#options.leaseMs).toISOString() };
  }
}
