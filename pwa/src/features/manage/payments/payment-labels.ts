import {
  PAYMENT_STATES,
  PAYMENT_VIEWS,
  type PaymentAction,
  type PaymentRow,
  type PaymentState,
  type PaymentView,
} from '@till/shared/core';
import type { BadgeTone } from '../ui/Badge.tsx';

export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  pending: 'Pending',
  unknown: 'Outcome unknown',
  quarantined: 'Quarantined',
  captured: 'Captured',
  declined: 'Declined',
  expired: 'Expired',
  written_off: 'Written off',
};

export const PAYMENT_STATE_TONES: Record<PaymentState, BadgeTone> = {
  pending: 'warn',
  unknown: 'warn',
  quarantined: 'bad',
  captured: 'ok',
  declined: 'bad',
  expired: 'bad',
  written_off: 'neutral',
};

export const PAYMENT_ACTION_LABELS: Record<PaymentAction, string> = {
  retry_now: 'Retry now',
  write_off: 'Write off',
  resolve_paid_elsewhere: 'Paid another way',
};

/** What a row is called on screen and in test ids: the sale's receipt number, else the payment id. */
export function paymentLabel(payment: Pick<PaymentRow, 'id' | 'receiptNo'>): string {
  return payment.receiptNo ?? payment.id;
}

export function cardLabel(payment: Pick<PaymentRow, 'brand' | 'last4'>): string {
  return `${payment.brand} •••• ${payment.last4}`;
}

/** States whose payment still waits for the gateway, so its expiry matters. */
export function isOpenState(state: PaymentState): boolean {
  return state === 'pending' || state === 'unknown' || state === 'quarantined';
}

/** "1 h 20 min", "45 min", "2 days 3 h" — a duration for people, rounded down to minutes. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} days` : `${days} days ${hours % 24} h`;
}

/** Expiring within this long is worth a warning (as the Today alert "expire within 2 h"). */
const EXPIRY_WARNING_MS = 2 * 60 * 60_000;

export interface ExpiryNote {
  text: string;
  tone: BadgeTone;
}

/** "expires in 1 h 20 min" for a payment still waiting; null once it no longer can expire. */
export function expiryNote(payment: Pick<PaymentRow, 'state' | 'expiresAt'>, nowMs: number): ExpiryNote | null {
  if (!isOpenState(payment.state)) return null;
  const left = Date.parse(payment.expiresAt) - nowMs;
  if (left <= 0) return { text: 'past its expiry time', tone: 'bad' };
  return { text: `expires in ${formatDuration(left)}`, tone: left <= EXPIRY_WARNING_MS ? 'warn' : 'neutral' };
}

/** A state from a URL or a select, or undefined when it is none. */
export function asPaymentState(text: string | null): PaymentState | undefined {
  return PAYMENT_STATES.find((state) => state === text);
}

/** A view from the URL; `open` (what needs action) by default. */
export function asPaymentView(text: string | null): PaymentView {
  return PAYMENT_VIEWS.find((view) => view === text) ?? 'open';
}
