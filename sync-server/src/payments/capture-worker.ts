import type { FastifyBaseLogger } from 'fastify';
import type { CircuitBreaker } from '../gateway/circuit-breaker.ts';
import type { PaymentGateway } from '../gateway/payment-gateway.ts';
import type { RateLimiter } from '../gateway/rate-limiter.ts';
import type { PaymentRecord, PaymentStore } from '../store/payment-store.ts';
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
  /** How long to sleep when nothing is due. */
  idlePollMs: number;
  timeoutMs: number;
  policy: RetryPolicy;
  now: () => Date;
  /** Resolves after `ms`, or early when `signal` aborts (wake-up, stop). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  log: FastifyBaseLogger;
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
 * The capture worker: claims due payments with a lease, runs each through `processPayment`
 * (the gateway behind the breaker and the rate limiter) and records the result — all attempts
 * and the next state in one transaction. Any number of workers, in any number of processes, may
 * share one ledger: the lease makes each payment one worker's at a time, and the payment id as
 * idempotency key makes even a lost lease (a frozen worker) harmless at the gateway (I4).
 *
 * One payment's failure never stops the loop (I9): exceptions are counted on that payment, which
 * is quarantined after `policy.maxErrors`.
 */
export class CaptureWorker {
  readonly stats: CaptureWorkerStats = { claimed: 0, finished: 0, errors: 0, leaseLost: 0 };
  readonly #options: CaptureWorkerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #running: Promise<void> | undefined;
  #stopping = false;
  #woken = false;
  #nap = new AbortController();
  #lastBreakerState = 'closed';

  constructor(options: CaptureWorkerOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Starts the loop in the background. */
  start(): void {
    if (this.#running !== undefined) return;
    this.#stopping = false;
    this.#running = this.#loop().catch((error: unknown) => {
      this.#options.log.error({ err: error }, 'capture worker stopped on an unexpected error');
    });
  }

  /** Cuts an idle sleep short, e.g. after a push queued new payments. */
  wake(): void {
    this.#woken = true;
    this.#nap.abort();
  }

  /** Stops claiming, lets in-flight payments finish and record, then resolves. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#running;
    this.#running = undefined;
    await Promise.all(this.#inFlight);
  }

  /**
   * One pass of the loop, for tests on a controlled clock: nothing while the breaker is open, one
   * probe when half-open, else claim what is due now (up to `limit`); process it all and return
   * how many were processed. Never sleeps.
   */
  async runOnce(limit = this.#options.concurrency): Promise<number> {
    await this.#expediteIfGatewayRecovered();
    if (this.#holdMs() > 0) return 0;
    const halfOpen = this.#options.breaker.state().state === 'half_open';
    const claimed = await this.#claim(halfOpen ? 1 : limit);
    await Promise.all(claimed.map((payment) => this.#process(payment)));
    return claimed.length;
  }

  async #loop(): Promise<void> {
    const { concurrency, idlePollMs } = this.#options;
    while (!this.#stopping) {
      try {
        await this.#expediteIfGatewayRecovered();
      } catch (error) {
        this.#options.log.error({ err: error }, 'capture worker: expediting retries failed');
      }
      const holdMs = this.#holdMs();
      if (holdMs > 0) {
        await this.#sleep(Math.min(holdMs, idlePollMs * 10));
        continue;
      }
      // Half-open: the breaker lets one probe through; claim one payment, not a batch.
      const halfOpen = this.#options.breaker.state().state === 'half_open';
      const room = (halfOpen ? 1 : concurrency) - this.#inFlight.size;
      if (room <= 0) {
        await Promise.race(this.#inFlight);
        continue;
      }
      let claimed: PaymentRecord[];
      try {
        claimed = await this.#claim(room);
      } catch (error) {
        this.#options.log.error({ err: error }, 'capture worker: claiming due payments failed; retrying');
        await this.#sleep(idlePollMs);
        continue;
      }
      for (const payment of claimed) {
        const task = this.#process(payment).finally(() => this.#inFlight.delete(task));
        this.#inFlight.add(task);
      }
      if (claimed.length === 0) {
        if (this.#inFlight.size === 0) await this.#sleep(idlePollMs);
        else await Promise.race([...this.#inFlight, this.#sleep(idlePollMs)]);
      }
    }
  }

  /**
   * The gateway is back (the breaker closed after being open): payments that backed off during
   * the outage become due now, so the backlog drains at the gateway's rate instead of trickling
   * out as each backoff — up to minutes — runs out. Runs once per recovery.
   */
  async #expediteIfGatewayRecovered(): Promise<void> {
    const state = this.#options.breaker.state().state;
    const recovered = state === 'closed' && this.#lastBreakerState !== 'closed';
    this.#lastBreakerState = state;
    if (!recovered) return;
    const count = await this.#options.store.expediteRetries(this.#options.now().toISOString());
    if (count > 0) this.#options.log.info({ count }, 'gateway is back: backed-off payments are due now');
  }

  /**
   * How long to claim nothing: until the breaker's next probe while it is open, or until a
   * gateway `Retry-After` pause ends. Claiming meanwhile would only churn leases and attempts.
   */
  #holdMs(): number {
    const now = this.#options.now().getTime();
    const breaker = this.#options.breaker.state();
    const probeAt = breaker.state === 'open' && breaker.nextProbeAt !== null ? breaker.nextProbeAt : now;
    const pausedUntil = this.#options.limiter?.state().pausedUntil ?? now;
    return Math.max(0, probeAt - now, pausedUntil - now);
  }

  async #claim(limit: number): Promise<PaymentRecord[]> {
    if (limit <= 0) return [];
    const now = this.#options.now();
    const claimed = await this.#options.store.claimDuePayments(
      { owner: this.#options.workerId, expiresAt: new Date(now.getTime() + this.#options.leaseMs).toISOString() },
      now.toISOString(),
      limit,
    );
    this.stats.claimed += claimed.length;
    return claimed;
  }

  async #process(payment: PaymentRecord): Promise<void> {
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
    } catch (error) {
      // Not a gateway answer: our own code or the store failed on this payment.
      this.stats.errors += 1;
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      log.error({ paymentId: payment.id, error: message }, 'capture worker: processing a payment failed');
      try {
        const { policy, random } = this.#options;
        await store.finishPaymentWork({
          tenantId: payment.tenantId,
          paymentId: payment.id,
          owner: workerId,
          attempts: [],
          change: changeForUnexpected(payment, new Error(message), true, this.#options.now(), policy, random),
          now: this.#options.now().toISOString(),
        });
      } catch (recordError) {
        // The store is failing: the lease will lapse and the payment will be claimed again.
        log.error({ err: recordError, paymentId: payment.id }, 'capture worker: could not record a failure');
      }
    }
  }

  /** Sleeps unless stopping or woken since the last sleep (a wake-up is never lost). */
  #sleep(ms: number): Promise<void> {
    if (this.#stopping || this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    if (this.#nap.signal.aborted) this.#nap = new AbortController();
    return this.#options.sleep(ms, this.#nap.signal);
  }
}
