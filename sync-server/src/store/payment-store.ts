import type { CaptureRequest, PaymentState, PaymentUpdatesResponse } from '@till/shared';
import type { DeviceContext } from './ledger-store.ts';
import type { AttemptOutcome } from './tables.ts';

/**
 * The card payments side of the ledger: the capture outbox and its attempt log. The push
 * transaction writes outbox rows (see `kysely/payments/outbox.ts`); everything else goes through
 * this interface, whatever database holds it. The rules (what an outcome leads to) live in
 * `src/payments/`; the store only writes them, atomically, under a lease.
 */
export interface PaymentStore extends CapturePublicationStore {
  /**
   * The database half of a live capture, in one transaction: creates the payment (or finds the
   * same one again) and takes its lease for the caller. See `LiveCaptureStart`.
   */
  beginLiveCapture(
    device: DeviceContext,
    request: CaptureRequest,
    lease: Lease,
    now: string,
  ): Promise<LiveCaptureStart>;
  /**
   * Claims up to `limit` due payments for one worker, in one write transaction: pending ones a
   * pushed sale confirmed (or past their expiry), and unknown ones; next attempt due; lease free
   * or expired. Safe with any number of worker processes: a payment is leased to one at a time.
   */
  claimDuePayments(lease: Lease, now: string, limit: number): Promise<PaymentRecord[]>;
  /**
   * Claims ONE payment for one worker if `claimDuePayments` would claim it now (the same rule),
   * in one write transaction; otherwise says why not, changing nothing. For queues that deliver
   * payment ids (Service Bus): a message only says "look at payment X", and this claim — not the
   * message — decides whether the gateway is called, so a duplicated message charges nothing
   * twice (I4).
   */
  claimPayment(tenantId: string, paymentId: string, lease: Lease, now: string): Promise<PaymentClaim>;
  /**
   * Sets a pending or unknown payment that nobody holds aside (`quarantined`) with a reason
   * found outside the gateway — its queue message kept failing — so a manager sees it and can
   * send it back (I9). Returns whether it was set aside. `tenantId` null: the message naming it
   * was unreadable; payment ids are unique across tenants (`payments_id_unique`).
   */
  quarantinePayment(input: {
    tenantId: string | null;
    paymentId: string;
    reason: string;
    now: string;
  }): Promise<boolean>;
  /**
   * Records what happened to a claimed payment — its attempts and its next state — and frees
   * the lease, in one transaction. The change applies only while the lease is still the
   * caller's, or when it is a final answer for a payment that has none yet; the attempts are
   * logged either way. Returns whether the change was applied.
   */
  finishPaymentWork(work: PaymentWork): Promise<boolean>;
  /**
   * Makes every payment that is backing off (pending or unknown, not leased) due at `now`. Called
   * when the gateway comes back after an outage, so the backlog drains at once instead of
   * waiting out backoffs that were set while the gateway was down. Returns how many.
   */
  expediteRetries(now: string): Promise<number>;
  /** This device's payments changed after `since` (a `change_no`), oldest change first. */
  paymentUpdates(device: DeviceContext, since: number, limit: number): Promise<PaymentUpdatesResponse>;
  /** Card payments still to be captured or resolved (unknown, or pending with a sale), all tenants. */
  paymentBacklog(): Promise<number>;
}

/** Why `claimPayment` did or did not give the caller the payment. */
export type PaymentClaim =
  /** The lease is the caller's: call the gateway, then `finishPaymentWork`. */
  | { kind: 'claimed'; payment: PaymentRecord }
  | { kind: 'not_found' }
  /** Terminal (captured, declined, expired, written off): nothing will ever be done. */
  | { kind: 'final'; state: PaymentState }
  /** Quarantined: waits for a manager. */
  | { kind: 'set_aside' }
  /** Another worker or a live request holds it until `leaseExpiresAt`. */
  | { kind: 'busy'; leaseExpiresAt: string }
  /** Not due yet (backing off, or waiting for its sale or its expiry). */
  | { kind: 'not_due'; nextAttemptAt: string };

/**
 * The Service Bus outbox relay's bookkeeping (table `capture_publications`): one message per
 * payment that needs one, recorded in SQL so a failed or lost publish is retried from SQL and a
 * capture is never lost. A payment needs a (new) message while it is pending or unknown and
 * - it never had one, or the last claim to publish one was never recorded as sent (the relay
 *   died or the send failed), or
 * - a consumer took the last one without leaving work behind (the payment was busy, not due),
 *   or its `next_attempt_at` changed since (backoff, expedite, a sale confirmed it, a requeue), or
 * - the last one was due before `staleBefore` and no consumer ever reported it (it was lost:
 *   expired, or dead-lettered by Service Bus itself while SQL was unreachable).
 */
export interface CapturePublicationStore {
  /**
   * Claims up to `limit` payments that need a message, for one relay instance, in one write
   * transaction (a lease, like the worker's claim). Each carries the publication number to send.
   */
  claimCapturePublications(
    lease: Lease,
    now: string,
    limit: number,
    staleBefore: string,
  ): Promise<CapturePublication[]>;
  /** Records claimed publications as sent (only while the relay still holds their lease). */
  recordCapturePublished(owner: string, sent: SentCapturePublication[], now: string): Promise<void>;
  /** Frees claimed publications whose send failed; a later pass sends them again. */
  releaseCapturePublications(owner: string, failed: CapturePublication[], error: string): Promise<void>;
  /** A consumer received publication `seq` and settled it without leaving work behind. */
  markCaptureMessageConsumed(input: { tenantId: string; paymentId: string; seq: number }): Promise<void>;
}

/** A message the relay is to publish. */
export interface CapturePublication {
  tenantId: string;
  paymentId: string;
  /** The publication number: 1 for the first message of a payment, then 2, 3, … */
  seq: number;
  /** The payment's `next_attempt_at` as claimed. */
  nextAttemptAt: string;
  /** The earliest time the payment can be claimed (`captureDueAt`): when the message should arrive. */
  dueAt: string;
}

export interface SentCapturePublication extends CapturePublication {
  /** When the message was due to arrive: `dueAt`, or the send time if that was later. */
  scheduledFor: string;
}

/** What a manager (for now: `scripts/till-admin.ts`) does with payments. */
export interface PaymentAdmin {
  listPayments(filter?: { states?: PaymentState[]; limit?: number }): Promise<PaymentRecord[]>;
  attemptsOf(paymentId: string): Promise<PaymentAttempt[]>;
  /** A named manager closes a payment that will not be captured (I5). Not for captured ones. */
  writeOffPayment(input: { paymentId: string; by: string; reason: string; now: string }): Promise<AdminResult>;
  /** Sends a quarantined payment back to the worker (after its cause was fixed). */
  requeuePayment(input: { paymentId: string; now: string }): Promise<AdminResult>;
  /** I7 for cards: per device and store-local day, card tendered = captured + declined + … */
  cardTotals(storeId: string): Promise<CardTotals[]>;
}

/**
 * One device's card tenders on one day (store time zone) and where their money stands:
 * `cardTendered` = captured + declined + pending (incl. unknown, quarantined) + expired +
 * writtenOff + unmatched, in minor units. `balanced` when nothing is unmatched.
 */
export interface CardTotals {
  deviceId: string;
  day: string;
  cardTendered: number;
  captured: number;
  declined: number;
  pending: number;
  expired: number;
  writtenOff: number;
  /** Card tenders no payment of their sale carries (flagged payment_unverified at push). */
  unmatched: number;
  balanced: boolean;
}

export type AdminResult =
  | { kind: 'done'; payment: PaymentRecord }
  | { kind: 'not_found' }
  | { kind: 'refused'; reason: string };

export interface Lease {
  owner: string;
  expiresAt: string;
}

/** A payment row as the rules see it. */
export interface PaymentRecord {
  tenantId: string;
  id: string;
  storeId: string;
  deviceId: string;
  saleId: string | null;
  /** When a pushed sale confirmed the payment; null: no sale has (the worker will not charge it). */
  saleReceivedAt: string | null;
  reference: string | null;
  amount: number;
  currency: string;
  brand: string;
  last4: string;
  gatewayToken: string;
  entry: 'live' | 'stored';
  state: PaymentState;
  attempts: number;
  errorCount: number;
  nextAttemptAt: string;
  expiresAt: string;
  gatewayRef: string | null;
  declineCode: string | null;
  message: string | null;
  lastError: string | null;
  quarantineReason: string | null;
  writtenOffBy: string | null;
  writtenOffReason: string | null;
  changeNo: number;
  createdAt: string;
  updatedAt: string;
  capturedAt: string | null;
}

export type LiveCaptureStart =
  /** Same id, other amount/card/sale/device: 409 payment_conflict; nothing changed. */
  | { kind: 'conflict'; message: string }
  /** Already final (or set aside): answer from the row; no gateway call. */
  | { kind: 'settled'; payment: PaymentRecord }
  /** Someone (the worker, another request) holds the lease: its outcome is not known yet. */
  | { kind: 'busy'; payment: PaymentRecord }
  /** The lease is the caller's: call the gateway, then `finishPaymentWork`. */
  | { kind: 'attempt'; payment: PaymentRecord };

export interface AttemptRecord {
  kind: 'capture' | 'lookup';
  startedAt: string;
  finishedAt: string;
  outcome: AttemptOutcome;
  code: string | null;
  message: string | null;
  retryAfterMs: number | null;
}

export interface PaymentAttempt extends AttemptRecord {
  n: number;
  workerId: string;
}

/** The next state of a payment and what it carries; omitted members stay as they are. */
export interface PaymentChange {
  state: PaymentState;
  nextAttemptAt?: string;
  gatewayRef?: string | null;
  declineCode?: string | null;
  message?: string | null;
  lastError?: string | null;
  quarantineReason?: string | null;
  capturedAt?: string | null;
  errorCount?: number;
  /**
   * `nextAttemptAt` holds only while no sale has confirmed the payment (the worker found no
   * charge and waits for the sale, or the expiry). If a push confirmed it while this work was
   * under way, the payment is due at once instead (see `finishPaymentWork`).
   */
  untilConfirmed?: boolean;
}

export interface PaymentWork {
  tenantId: string;
  paymentId: string;
  /** The lease owner doing the work (a worker id, or `live:…`). */
  owner: string;
  attempts: AttemptRecord[];
  change: PaymentChange;
  now: string;
}
