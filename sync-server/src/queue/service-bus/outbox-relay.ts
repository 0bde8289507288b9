import type { ServiceBusSender } from '@azure/service-bus';
import type { FastifyBaseLogger } from 'fastify';
import { redactSecrets } from '../../payments/redact.ts';
import type { CapturePublicationStore } from '../../store/payment-store.ts';
import { captureMessage } from './capture-message.ts';

export interface OutboxRelayOptions {
  store: CapturePublicationStore;
  sender: Pick<ServiceBusSender, 'sendMessages'>;
  /** Unique per relay instance: the lease owner of the publications it is sending. */
  owner: string;
  /** How long a claimed publication is this relay's; covers one send with its SDK retries. */
  leaseMs: number;
  /** Publications per pass: one `sendMessages` call (a few hundred bytes each, far below 256 KB). */
  batchSize: number;
  /** How long to sleep when nothing needed publishing. */
  pollMs: number;
  /**
   * A recorded message that was due this long ago and that no consumer ever reported is taken
   * as lost and published again. Longer than the queue could reasonably sit on a due message
   * (a backlog draining at the gateway's rate); a needless copy is harmless, only wasteful.
   */
  republishAfterMs: number;
  now: () => Date;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  log: FastifyBaseLogger;
}

export interface OutboxRelayStats {
  published: number;
  failedPasses: number;
}

/**
 * The outbox relay of the Service Bus capture queue: publishes one message per payment that
 * needs one (see `CapturePublicationStore`), scheduled (`scheduledEnqueueTimeUtc`) for when the
 * payment is due, and records in SQL what it published. A failed publish is released and
 * published again on a later pass — the capture is never lost, because what needs a message is
 * read from the payments, not from memory. Any number of instances may relay at once: each
 * publication is claimed with a lease first.
 *
 * Every message goes out in one `sendMessages` call per pass, due-now and scheduled alike (a
 * message's own `scheduledEnqueueTimeUtc` schedules it): one round trip, not one per message.
 * Scheduled messages are never cancelled: a stale one finds its payment final, busy or not due
 * and is completed without a gateway call, so `scheduleMessages` and its sequence numbers buy
 * nothing here.
 */
export class OutboxRelay {
  readonly stats: OutboxRelayStats = { published: 0, failedPasses: 0 };
  readonly #options: OutboxRelayOptions;
  #running: Promise<void> | undefined;
  #stopping = false;
  #woken = false;
  #nap = new AbortController();

  constructor(options: OutboxRelayOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running !== undefined) return;
    this.#stopping = false;
    this.#running = this.#loop().catch((error: unknown) => {
      this.#options.log.error({ err: error }, 'outbox relay stopped on an unexpected error');
    });
  }

  /** Publish soon: a payment changed (a push, a manager's retry, a worker's outcome). */
  wake(): void {
    this.#woken = true;
    this.#nap.abort();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#running;
    this.#running = undefined;
  }

  /** Publishes one batch of what needs a message; returns how many were published. Throws if the send failed. */
  async runOnce(): Promise<number> {
    const { store, sender, owner, leaseMs, batchSize, republishAfterMs } = this.#options;
    const now = this.#options.now();
    const claimed = await store.claimCapturePublications(
      { owner, expiresAt: new Date(now.getTime() + leaseMs).toISOString() },
      now.toISOString(),
      batchSize,
      new Date(now.getTime() - republishAfterMs).toISOString(),
    );
    if (claimed.length === 0) return 0;
    try {
      await sender.sendMessages(claimed.map((publication) => captureMessage(publication, now)));
    } catch (error) {
      const reason = redactSecrets(error instanceof Error ? error.message : String(error));
      await store.releaseCapturePublications(owner, claimed, reason);
      this.stats.failedPasses += 1;
      throw error;
    }
    await store.recordCapturePublished(
      owner,
      claimed.map((publication) => ({
        ...publication,
        scheduledFor: new Date(Math.max(Date.parse(publication.dueAt), now.getTime())).toISOString(),
      })),
      this.#options.now().toISOString(),
    );
    this.stats.published += claimed.length;
    return claimed.length;
  }

  async #loop(): Promise<void> {
    const { batchSize, pollMs, log } = this.#options;
    let failures = 0;
    while (!this.#stopping) {
      let published = 0;
      try {
        published = await this.runOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        log.error({ err: error, failures }, 'outbox relay: publishing capture messages failed; retrying');
        // Back off while Service Bus (or SQL) is failing; what was not sent stays in the outbox.
        await this.#sleep(Math.min(pollMs * 2 ** failures, 30_000));
        continue;
      }
      if (published < batchSize) await this.#sleep(pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopping || this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    if (this.#nap.signal.aborted) this.#nap = new AbortController();
    return this.#options.sleep(ms, this.#nap.signal);
  }
}
