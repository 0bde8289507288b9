import type { FastifyBaseLogger } from 'fastify';
import type { PaymentRecord } from '../store/payment-store.ts';
import type { CaptureConsumer, CaptureQueue } from './capture-queue.ts';

export interface SqlOutboxQueueOptions {
  /** How long to sleep when nothing is due. */
  idlePollMs: number;
  /** Resolves after `ms`, or early when `signal` aborts (wake-up, stop). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  log: FastifyBaseLogger;
}

/**
 * The embedded capture queue: the `payments` table is the outbox, and claiming due rows with a
 * lease (`PaymentStore.claimDuePayments`) is the delivery. Any number of workers in any number
 * of processes may share one ledger; the claim transaction makes each payment one worker's at a
 * time. Polls every `idlePollMs` while idle; `wake` cuts the wait short.
 */
export class SqlOutboxQueue implements CaptureQueue {
  readonly kind = 'sql' as const;
  readonly #options: SqlOutboxQueueOptions;
  readonly #inFlight = new Set<Promise<unknown>>();
  #running: Promise<void> | undefined;
  #stopping = false;
  #woken = false;
  #nap = new AbortController();

  constructor(options: SqlOutboxQueueOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  start(consumer: CaptureConsumer): void {
    if (this.#running !== undefined) return;
    this.#stopping = false;
    this.#running = this.#loop(consumer).catch((error: unknown) => {
      this.#options.log.error({ err: error }, 'capture worker stopped on an unexpected error');
    });
  }

  wake(): void {
    this.#woken = true;
    this.#nap.abort();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#running;
    this.#running = undefined;
    await Promise.all(this.#inFlight);
  }

  async runOnce(consumer: CaptureConsumer, limit: number): Promise<number> {
    await consumer.expediteIfGatewayRecovered();
    if (consumer.holdMs() > 0) return 0;
    const claimed = await consumer.claimDue(consumer.halfOpen() ? 1 : limit);
    await Promise.all(claimed.map((payment) => consumer.work(payment)));
    return claimed.length;
  }

  async close(): Promise<void> {}

  async #loop(consumer: CaptureConsumer): Promise<void> {
    const { idlePollMs, log } = this.#options;
    while (!this.#stopping) {
      try {
        await consumer.expediteIfGatewayRecovered();
      } catch (error) {
        log.error({ err: error }, 'capture worker: expediting retries failed');
      }
      const holdMs = consumer.holdMs();
      if (holdMs > 0) {
        await this.#sleep(Math.min(holdMs, idlePollMs * 10));
        continue;
      }
      // Half-open: the breaker lets one probe through; claim one payment, not a batch.
      const room = (consumer.halfOpen() ? 1 : consumer.concurrency) - this.#inFlight.size;
      if (room <= 0) {
        await Promise.race(this.#inFlight);
        continue;
      }
      let claimed: PaymentRecord[];
      try {
        claimed = await consumer.claimDue(room);
      } catch (error) {
        log.error({ err: error }, 'capture worker: claiming due payments failed; retrying');
        await this.#sleep(idlePollMs);
        continue;
      }
      for (const payment of claimed) {
        const task = consumer.work(payment).finally(() => this.#inFlight.delete(task));
        this.#inFlight.add(task);
      }
      if (claimed.length === 0) {
        if (this.#inFlight.size === 0) await this.#sleep(idlePollMs);
        else await Promise.race([...this.#inFlight, this.#sleep(idlePollMs)]);
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
