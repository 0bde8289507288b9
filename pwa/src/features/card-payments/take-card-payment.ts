import type { CardTender, StoredReason, StoreInfo } from '@till/shared/core';
import { type ApiTarget, capturePayment } from '../../api/endpoints.ts';
import {
  beginCardAttempt,
  type CaptureAttempt,
  type CardPaymentRecord,
  getDevice,
  settleCardAttempt,
  storeCardPayment,
  type TillDb,
} from '../../db/index.ts';
import { type CardRead, checkCardRead } from '../card-reader/card-reader.ts';
import { type CaptureVerdict, classifyCapture } from './capture-verdict.ts';
import type { GatewayMonitor } from './gateway-monitor.ts';
import { checkOfflineLimits, effectiveLimits, storedExpiry } from './offline-limits.ts';

/** A live capture that has not answered in this long is treated as "outcome unknown". */
export const CAPTURE_TIMEOUT_MS = 6_000;

export interface CardPaymentContext {
  db: TillDb;
  /** The server; its `timeoutMs` is replaced by `captureTimeoutMs`. */
  target: ApiTarget;
  monitor: GatewayMonitor;
  now: () => number;
  isOnline: () => boolean;
  format: (amount: number) => string;
  captureTimeoutMs?: number;
}

export interface CardPaymentInput {
  /** Made once, before the card was read; the gateway idempotency key for ever (I4). */
  paymentId: string;
  saleId: string;
  amount: number;
  /** The receipt number the sale will most likely get. */
  reference: string;
  store: StoreInfo;
  card: CardRead;
}

/** How one card payment ended at the till. Only `captured` and `stored` are tenders. */
export type CardPaymentResult =
  | { kind: 'captured'; tender: CardTender; message: string }
  | {
      kind: 'stored';
      tender: CardTender;
      /** Nothing can have been charged: it may be taken off the unfinished sale. */
      removable: boolean;
      /** Stored although over a limit, because a charge may already exist under its id. */
      overLimit: boolean;
      message: string;
    }
  | { kind: 'declined'; paymentId: string; message: string }
  | { kind: 'over_limit'; paymentId: string; message: string; maxOnCard: number }
  | { kind: 'failed'; paymentId: string; message: string };

/**
 * Takes one card payment for an open sale. The route is decided from what is already known
 * (offline, breaker open, server just unreachable → stored at once, no request). Otherwise the
 * journal row is written, THEN the capture is sent with a short timeout; a 503, 504, timeout or
 * network error stores the payment under the SAME id (I4). Store-and-forward obeys the offline
 * limits, except when a charge may already exist: that payment is kept, whatever its size, so
 * it is settled under its id rather than taken again by another tender.
 */
export async function takeCardPayment(ctx: CardPaymentContext, input: CardPaymentInput): Promise<CardPaymentResult> {
  const card = checkCardRead(input.card);
  const device = await getDevice(ctx.db);
  if (!device) return { kind: 'failed', paymentId: input.paymentId, message: 'This till is not enrolled.' };
  const route = ctx.monitor.route(ctx.isOnline());
  const row = journalRow(ctx, input, card);
  if (route.kind === 'store') return store(ctx, input, row, route.reason, 'none');

  await beginCardAttempt(ctx.db, { ...row, state: 'attempting', captureAttempt: 'unknown' });
  const answer = await capturePayment(
    { ...ctx.target, timeoutMs: ctx.captureTimeoutMs ?? CAPTURE_TIMEOUT_MS },
    device.token,
    {
      paymentId: input.paymentId,
      saleId: input.saleId,
      amount: input.amount,
      currency: input.store.currency,
      gatewayToken: card.gatewayToken,
      brand: card.brand,
      last4: card.last4,
      reference: input.reference,
    },
  );
  const verdict = classifyCapture(answer, input.paymentId);
  ctx.monitor.noteCapture(verdict);
  return settle(ctx, input, row, verdict);
}

async function settle(
  ctx: CardPaymentContext,
  input: CardPaymentInput,
  row: CardPaymentRecord,
  verdict: CaptureVerdict,
): Promise<CardPaymentResult> {
  const at = new Date(ctx.now()).toISOString();
  switch (verdict.kind) {
    case 'captured':
      await settleCardAttempt(
        ctx.db,
        row.id,
        {
          state: 'captured',
          entry: 'live',
          captureAttempt: 'answered',
          gatewayRef: verdict.gatewayRef,
          declineCode: null,
          message: verdict.message,
        },
        at,
      );
      return { kind: 'captured', tender: tender(row, 'live', verdict.gatewayRef, null), message: 'Approved' };
    case 'declined':
      await settleCardAttempt(
        ctx.db,
        row.id,
        {
          state: 'declined',
          entry: null,
          captureAttempt: 'answered',
          gatewayRef: null,
          declineCode: verdict.declineCode,
          message: verdict.message,
        },
        at,
      );
      return { kind: 'declined', paymentId: row.id, message: declinedText(verdict.message) };
    case 'conflict':
      await settleCardAttempt(
        ctx.db,
        row.id,
        {
          state: 'conflict',
          entry: null,
          captureAttempt: verdict.attempt,
          gatewayRef: null,
          declineCode: null,
          message: verdict.message,
        },
        at,
      );
      return {
        kind: 'failed',
        paymentId: row.id,
        message: `Card not taken: ${verdict.message} Tell a manager (payment ${row.id}).`,
      };
    case 'store':
      return store(ctx, input, { ...row, updatedAt: at }, verdict.reason, verdict.attempt);
  }
}

async function store(
  ctx: CardPaymentContext,
  input: CardPaymentInput,
  row: CardPaymentRecord,
  reason: StoredReason,
  attempt: CaptureAttempt,
): Promise<CardPaymentResult> {
  const limits = effectiveLimits(input.store);
  const check = (outstanding: number) => checkOfflineLimits(input.amount, outstanding, limits, ctx.format);
  const mayHaveCharged = attempt === 'unknown';
  const storedRow: CardPaymentRecord = {
    ...row,
    state: 'stored',
    entry: 'stored',
    storedReason: reason,
    captureAttempt: attempt,
    expiresAt: storedExpiry(ctx.now(), limits),
  };
  const outcome = await storeCardPayment(ctx.db, storedRow, mayHaveCharged ? null : check);
  if (!outcome.stored) {
    return {
      kind: 'over_limit',
      paymentId: row.id,
      message: outcome.refusal.message,
      maxOnCard: outcome.refusal.maxOnCard,
    };
  }
  const overLimit = mayHaveCharged && check(outcome.outstandingBefore) !== null;
  return {
    kind: 'stored',
    tender: tender(row, 'stored', null, reason),
    removable: !mayHaveCharged,
    overLimit,
    message: storedText(reason, mayHaveCharged),
  };
}

function journalRow(ctx: CardPaymentContext, input: CardPaymentInput, card: CardRead): CardPaymentRecord {
  const at = new Date(ctx.now()).toISOString();
  return {
    id: input.paymentId,
    saleId: input.saleId,
    reference: input.reference,
    amount: input.amount,
    currency: input.store.currency,
    brand: card.brand,
    last4: card.last4,
    gatewayToken: card.gatewayToken,
    state: 'attempting',
    entry: null,
    storedReason: null,
    captureAttempt: 'none',
    gatewayRef: null,
    declineCode: null,
    message: null,
    createdAt: at,
    updatedAt: at,
    expiresAt: null,
    receiptNo: null,
    serverUpdatedAt: null,
    alertSeenAt: null,
  };
}

function tender(
  row: CardPaymentRecord,
  entry: CardTender['entry'],
  gatewayRef: string | null,
  storedReason: StoredReason | null,
): CardTender {
  return {
    id: row.id,
    kind: 'card',
    amount: row.amount,
    brand: row.brand,
    last4: row.last4,
    gatewayToken: row.gatewayToken,
    entry,
    gatewayRef,
    storedReason,
  };
}

/** "Declined: …" once, whether or not the gateway's message already says it. */
export function declinedText(message: string): string {
  return /^declined\b/i.test(message.trim()) ? message.trim() : `Declined: ${message.trim()}`;
}

function storedText(reason: StoredReason, mayHaveCharged: boolean): string {
  if (mayHaveCharged) {
    return 'Card stored — the gateway did not answer in time; it will be settled under the same payment, never charged twice';
  }
  return reason === 'gateway_unavailable'
    ? 'Card stored — it will be charged when the gateway is back'
    : 'Card stored — it will be charged when the connection returns';
}
