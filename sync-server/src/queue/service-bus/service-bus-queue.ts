import type {
  ProcessErrorArgs,
  ServiceBusReceivedMessage,
  ServiceBusReceiver,
  ServiceBusReceiverOptions,
  ServiceBusSender,
} from '@azure/service-bus';
import type { FastifyBaseLogger } from 'fastify';
import { redactSecrets } from '../../payments/redact.ts';
import type { PaymentStore } from '../../store/payment-store.ts';
import type { CaptureConsumer, CaptureQueue } from '../capture-queue.ts';
import { type CaptureMessageBody, decodeCaptureMessage } from './capture-message.ts';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
import { DEAD_LETTER_REASONS, type ServiceBusQueueStats, type Settlement, settle } from './settlement.ts';

/**
 * What Till needs of a `ServiceBusClient`: a `ServiceBusClient` is one (tests pass the
 * `FakeServiceBus` client, a test double of these SDK interfaces).
 */
export interface ServiceBusQueueClient {
  createReceiver(queueName: string, options?: ServiceBusReceiverOptions): ServiceBusReceiver;
  createSender(queueName: string): ServiceBusSender;
  close(): Promise<void>;
}

export interface ServiceBusCaptureQueueOptions {
  /** The process's one client; closed by `close()`. */
  client: ServiceBusQueueClient;
  queueName: string;
  store: Pick<
    PaymentStore,
    | 'quarantinePayment'
    | 'claimCapturePublications'
    | 'recordCapturePublished'
    | 'releaseCapturePublications'
    | 'markCaptureMessageConsumed'
  >;
  /**
   * Deliveries of one message that failed for reasons other than the payment's gateway outcome
   * (its payment is not in SQL, the store threw) before we dead-letter it and set the payment
   * aside (CAPTURE_MAX_DELIVERY). Must stay below the queue's MaxDeliveryCount, or Service Bus
   * dead-letters the message itself and managers never see why.
   */
  maxDelivery: number;
  /**
   * How long the SDK keeps renewing a message's lock (`maxAutoLockRenewalDurationInMs`): the
   * longest a message can sit in its handler — waiting out an open breaker (`maxHoldMs`), then a
   * claim's whole life (the worker's lease: rate-limit wait and gateway timeouts) and settling.
   */
  lockRenewalMs: number;
  /** Longest a delivered message waits in its handler for the breaker to let calls through. */
  maxHoldMs: number;
  /** `runOnce`: how long to wait for the first message (`maxWaitTimeInMs`). */
  receiveWaitMs: number;
  relay: Pick<OutboxRelayOptions, 'owner' | 'leaseMs' | 'batchSize' | 'pollMs' | 'republishAfterMs'>;
  now: () => Date;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  log: FastifyBaseLogger;
}

type Handled = 'worked' | 'skipped' | 'failed' | 'poison';

/**
 * The capture queue on Azure Service Bus. An outbox relay (`OutboxRelay`) publishes a message
 * per payment that needs one; this consumer receives them in peek-lock mode, at most
 * CAPTURE_CONCURRENCY at once, with the SDK renewing each lock while the gateway call runs.
 *
 * A message says only "look at payment X". Per message:
 * 1. claim the payment's lease in SQL (`claimPayment`, the same rule as the SQL outbox);
 * 2. claimed → the worker calls the gateway ONCE and commits the outcome in SQL, THEN the
 *    message is completed (or dead-lettered when the outcome set the payment aside). The next
 *    attempt's message, if any, is the relay's job, from the committed `next_attempt_at`;
 * 3. not claimed (final, quarantined, held by another worker, not due) → completed without a
 *    gateway call: a redelivered or duplicated message charges nothing (I4);
 * 4. poison (unreadable, its payment missing, failing again and again) → dead-lettered with a
 *    reason AND the payment set aside (`quarantined`, with that reason) in SQL, where managers
 *    see it and "Retry now" sends it back through the relay with a new message (I9).
 * A lost lock only means the message will come back; what happened is already in SQL.
 */
export class ServiceBusCaptureQueue implements CaptureQueue {
  readonly kind = 'servicebus' as const;
  readonly stats: ServiceBusQueueStats = {
    received: 0,
    worked: 0,
    skipped: 0,
    abandoned: 0,
    deadLettered: 0,
    lockLost: 0,
  };
  readonly relay: OutboxRelay;
  readonly #options: ServiceBusCaptureQueueOptions;
  readonly #receiver: ServiceBusReceiver;
  readonly #sender: ServiceBusSender;
  readonly #inFlight = new Set<Promise<unknown>>();
  #subscription: { close(): Promise<void> } | undefined;
  #stop = new AbortController();
  /** Handlers past the gateway gate (claiming or working): one at most while half-open. */
  #working = 0;

  constructor(options: ServiceBusCaptureQueueOptions) {
    this.#options = options;
    this.#receiver = options.client.createReceiver(options.queueName, {
      receiveMode: 'peekLock',
      maxAutoLockRenewalDurationInMs: options.lockRenewalMs,
    });
    this.#sender = options.client.createSender(options.queueName);
    this.relay = new OutboxRelay({
      ...options.relay,
      store: options.store,
      sender: this.#sender,
      now: options.now,
      sleep: options.sleep,
      log: options.log.child({ component: 'outbox-relay' }),
    });
  }

  get running(): boolean {
    return this.#subscription !== undefined;
  }

  start(consumer: CaptureConsumer): void {
    if (this.#subscription !== undefined) return;
    this.#stop = new AbortController();
    this.relay.start();
    this.#subscription = this.#receiver.subscribe(
      {
        processMessage: (message) => this.#track(this.#handle(consumer, message, true)),
        processError: async (args) => this.#onReceiveError(args),
      },
      // Settled by us, after SQL has the outcome; never by the SDK on return.
      { autoCompleteMessages: false, maxConcurrentCalls: consumer.concurrency },
    );
  }

  wake(): void {
    this.relay.wake();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#subscription?.close();
    this.#subscription = undefined;
    await Promise.all(this.#inFlight);
    await this.relay.stop();
  }

  async runOnce(consumer: CaptureConsumer, limit: number): Promise<number> {
    await consumer.expediteIfGatewayRecovered();
    try {
      await this.relay.runOnce();
    } catch (error) {
      this.#options.log.error({ err: error }, 'outbox relay: publishing capture messages failed; retried next pass');
    }
    if (consumer.holdMs() > 0) return 0;
    const messages = await this.#receiver.receiveMessages(consumer.halfOpen() ? 1 : limit, {
      maxWaitTimeInMs: this.#options.receiveWaitMs,
    });
    const handled = await Promise.all(messages.map((message) => this.#handle(consumer, message, false)));
    return handled.filter((result) => result === 'worked').length;
  }

  async close(): Promise<void> {
    for (const link of [this.#receiver, this.#sender, this.#options.client]) {
      try {
        await link.close();
      } catch (error) {
        this.#options.log.warn({ err: error }, 'closing the Service Bus client failed');
      }
    }
  }

  #track(task: Promise<unknown>): Promise<void> {
    this.#inFlight.add(task);
    return task.then(
      () => void this.#inFlight.delete(task),
      () => void this.#inFlight.delete(task),
    );
  }

  /** One message, start to settlement. Never throws (a throw would make the SDK abandon it). */
  async #handle(consumer: CaptureConsumer, message: ServiceBusReceivedMessage, streaming: boolean): Promise<Handled> {
    this.stats.received += 1;
    const decoded = decodeCaptureMessage(message);
    if (!decoded.ok) {
      const description = `message ${String(message.messageId)}: ${decoded.problem}`;
      if (decoded.paymentId !== null)
        await this.#setAside(null, decoded.paymentId, `Unreadable capture ${description}`);
      await this.#settle(message, { kind: 'deadLetter', reason: DEAD_LETTER_REASONS.undecodable, description });
      return 'poison';
    }
    const body = decoded.body;
    if (streaming && !(await this.#waitForGateway(consumer))) {
      await this.#settle(message, { kind: 'abandon' }); // stopping: another instance takes it
      return 'skipped';
    }
    this.#working += 1;
    try {
      return await this.#claimAndWork(consumer, message, body, streaming);
    } catch (error) {
      this.#options.log.error({ err: error, paymentId: body.paymentId }, 'capture message: unexpected failure');
      return this.#failed(message, body, error, streaming);
    } finally {
      this.#working -= 1;
    }
  }

  async #claimAndWork(
    consumer: CaptureConsumer,
    message: ServiceBusReceivedMessage,
    body: CaptureMessageBody,
    streaming: boolean,
  ): Promise<Handled> {
    await this.#expedite(consumer);
    let claim: Awaited<ReturnType<CaptureConsumer['claim']>>;
    try {
      claim = await consumer.claim(body.tenantId, body.paymentId);
    } catch (error) {
      return this.#failed(message, body, error, streaming);
    }
    if (claim.kind === 'not_found') {
      const deliveries = message.deliveryCount ?? 1;
      if (deliveries < this.#options.maxDelivery) {
        await this.#pauseBeforeRetry(deliveries, streaming);
        await this.#settle(message, { kind: 'abandon' });
        return 'failed';
      }
      const description = `payment ${body.paymentId} of tenant ${body.tenantId} is not in the ledger (${deliveries} deliveries)`;
      await this.#settle(message, { kind: 'deadLetter', reason: DEAD_LETTER_REASONS.notFound, description });
      return 'poison';
    }
    if (claim.kind !== 'claimed') {
      // Final, set aside, another worker's right now, or not due: nothing to do for this message.
      // Told to SQL first, so the relay publishes again if the payment still needs a message.
      if (!(await this.#consumed(body))) {
        await this.#settle(message, { kind: 'abandon' });
        return 'failed';
      }
      await this.#settle(message, { kind: 'complete' });
      this.stats.skipped += 1;
      return 'skipped';
    }

    const outcome = await consumer.work(claim.payment);
    this.relay.wake();
    await this.#expedite(consumer); // this call may have been the probe that closed the breaker
    if (!outcome.recorded) return this.#failed(message, body, new Error(outcome.error), streaming);
    this.stats.worked += 1;
    await this.#consumed(body);
    // Only now, with the outcome committed in SQL, is the message settled.
    await this.#settle(
      message,
      outcome.state === 'quarantined'
        ? {
            kind: 'deadLetter',
            reason: DEAD_LETTER_REASONS.quarantined,
            description: outcome.quarantineReason ?? 'set aside for a manager',
          }
        : { kind: 'complete' },
    );
    return 'worked';
  }

  /**
   * The store (or our own code) failed on this message. Below `maxDelivery` deliveries it is
   * abandoned — delivered again, after a pause while streaming — and at the limit dead-lettered
   * with the payment set aside. If even that cannot be written (SQL is down), the message is
   * abandoned once more: Service Bus dead-letters it at the queue's own MaxDeliveryCount, and
   * once SQL answers again the relay publishes a new message for the still-pending payment.
   */
  async #failed(message: ServiceBusReceivedMessage, body: CaptureMessageBody, error: unknown, streaming: boolean) {
    const deliveries = message.deliveryCount ?? 1;
    const text = redactSecrets(error instanceof Error ? error.message : String(error));
    this.#options.log.error({ paymentId: body.paymentId, deliveries, error: text }, 'capture message failed');
    if (deliveries < this.#options.maxDelivery) {
      await this.#pauseBeforeRetry(deliveries, streaming);
      await this.#settle(message, { kind: 'abandon' });
      return 'failed' as const;
    }
    const description = `${deliveries} deliveries failed; last: ${text}`.slice(0, 400);
    if (await this.#setAside(body.tenantId, body.paymentId, `Capture message failed: ${description}`)) {
      await this.#settle(message, { kind: 'deadLetter', reason: DEAD_LETTER_REASONS.repeatedFailures, description });
      return 'poison' as const;
    }
    await this.#settle(message, { kind: 'abandon' });
    return 'failed' as const;
  }

  /** After a gateway outage: backed-off payments are due now, so the relay republishes them now. */
  async #expedite(consumer: CaptureConsumer): Promise<void> {
    try {
      await consumer.expediteIfGatewayRecovered();
    } catch (error) {
      this.#options.log.error({ err: error }, 'capture worker: expediting retries failed');
    }
  }

  async #setAside(tenantId: string | null, paymentId: string, reason: string): Promise<boolean> {
    try {
      const now = this.#options.now().toISOString();
      return await this.#options.store.quarantinePayment({ tenantId, paymentId, reason, now });
    } catch (error) {
      this.#options.log.error({ err: error, paymentId }, 'capture message: could not set the payment aside');
      return false;
    }
  }

  async #consumed(body: CaptureMessageBody): Promise<boolean> {
    try {
      await this.#options.store.markCaptureMessageConsumed(body);
      return true;
    } catch (error) {
      this.#options.log.error({ err: error, paymentId: body.paymentId }, 'capture message: recording it failed');
      return false;
    }
  }

  #settle(message: ServiceBusReceivedMessage, settlement: Settlement): Promise<void> {
    return settle(this.#receiver, message, settlement, this.stats, this.#options.log);
  }

  /**
   * While the breaker is open (or a `Retry-After` pause lasts), a delivered message waits here —
   * its lock renewed by the SDK — instead of being claimed and failed fast, as the SQL outbox
   * claims nothing meanwhile; while half-open, one message at a time goes on (the probe). Gives
   * up waiting after `maxHoldMs` (the gateway guard then answers and the payment backs off).
   * False when stopping.
   */
  async #waitForGateway(consumer: CaptureConsumer): Promise<boolean> {
    const started = this.#options.now().getTime();
    while (!this.#stop.signal.aborted) {
      const holdMs = consumer.holdMs();
      const probing = consumer.halfOpen() && this.#working > 0;
      if (holdMs <= 0 && !probing) return true;
      if (this.#options.now().getTime() - started >= this.#options.maxHoldMs) return true;
      await this.#options.sleep(Math.min(holdMs > 0 ? holdMs : 250, 1000), this.#stop.signal);
    }
    return false;
  }

  /** Abandoned messages come back at once; while streaming, space the deliveries out. */
  async #pauseBeforeRetry(deliveries: number, streaming: boolean): Promise<void> {
    if (streaming) await this.#options.sleep(Math.min(1000 * 2 ** (deliveries - 1), 30_000), this.#stop.signal);
  }

  #onReceiveError(args: ProcessErrorArgs): void {
    const { error, errorSource } = args;
    if (errorSource === 'renewLock') {
      // SQL's lease keeps the payment this worker's until the worker records the outcome (I4).
      this.#options.log.warn({ err: error }, 'Service Bus lock renewal failed; the message may be delivered again');
      return;
    }
    // The SDK retries receiving by itself; this is for the log and the operator.
    this.#options.log.error({ err: error, errorSource }, 'Service Bus receive error');
  }
}
