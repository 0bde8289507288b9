import type { PaymentState } from '@till/shared';
import type { PaymentClaim, PaymentRecord } from '../store/payment-store.ts';

/**
 * How due card payments reach the capture worker (ARCHITECTURE "Drain"). Two implementations,
 * one contract (`capture-queue.contract.ts`):
 *
 * - `sql` (`sql-outbox-queue.ts`): the embedded default. The `payments` table IS the outbox and
 *   the queue: the worker claims due rows with a lease and polls when idle.
 * - `servicebus` (`service-bus/`): an outbox relay publishes a message per capture to an Azure
 *   Service Bus queue and workers on every instance consume it with peek-lock.
 *
 * SQL is the source of truth in both. A delivery never carries what to charge: the worker claims
 * the payment's lease in SQL before any gateway call, so a redelivered or duplicated delivery, or
 * two deliveries at once, charge nothing twice (I4).
 */
export interface CaptureQueue {
  readonly kind: CaptureQueueKind;
  /** Whether `start` has been called and `stop` has not finished. */
  readonly running: boolean;
  /** Starts delivering due payments to `consumer` in the background. */
  start(consumer: CaptureConsumer): void;
  /** Cuts an idle wait short: a push stored payments, a manager asked for a retry. */
  wake(): void;
  /** Stops taking new work, lets work in flight finish and record (and settle), then resolves. */
  stop(): Promise<void>;
  /**
   * One pass, for tests on a controlled clock and for tools: deliver what is due now (up to
   * `limit`, one while the breaker is half-open, none while it is open), work it all, and return
   * how many payments were worked (claimed and run through the gateway). Never sleeps.
   */
  runOnce(consumer: CaptureConsumer, limit: number): Promise<number>;
  /** Releases what the queue holds (the Service Bus client); after `stop`, at shutdown. */
  close(): Promise<void>;
}

export type CaptureQueueKind = 'sql' | 'servicebus';

/**
 * What a queue hands deliveries to: the capture worker (`payments/capture-worker.ts`). The
 * worker owns the gateway pacing (breaker, `Retry-After`), the lease and the outcome; a queue
 * owns only how payments are found and when.
 */
export interface CaptureConsumer {
  /** Payments in flight at once (CAPTURE_CONCURRENCY). */
  readonly concurrency: number;
  /** How long to deliver nothing: the breaker is open, or a gateway `Retry-After` pause lasts. */
  holdMs(): number;
  /** The breaker lets one probe through: deliver one payment at a time. */
  halfOpen(): boolean;
  /** After a gateway outage ends, makes backed-off payments due now (once per recovery). */
  expediteIfGatewayRecovered(): Promise<void>;
  /** Claims up to `limit` due payments (the SQL outbox). */
  claimDue(limit: number): Promise<PaymentRecord[]>;
  /** Claims one delivered payment, if it is due and free (queues that deliver ids). */
  claim(tenantId: string, paymentId: string): Promise<PaymentClaim>;
  /**
   * Runs a claimed payment through the gateway ONCE and records attempts and outcome in SQL.
   * Never throws: a failure is counted on the payment (I9), or reported as not recorded.
   */
  work(payment: PaymentRecord): Promise<WorkOutcome>;
}

export type WorkOutcome =
  /** The outcome is committed in SQL (`applied`: the change, not only the attempts). */
  | { recorded: true; applied: boolean; state: PaymentState; quarantineReason: string | null }
  /** The store failed; the lease will lapse and the payment will be delivered again. */
  | { recorded: false; error: string };
