import { randomBytes } from 'node:crypto';
import type { TestCard } from './test-cards.ts';

/**
 * Builders for the JSON Stripe answers with, trimmed to what an integration reads but with the
 * same names and types, so the official SDK parses them unchanged.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `pi_3Q…`-style id: a prefix and 24 random base-62 characters. */
export function stripeId(prefix: string): string {
  const bytes = randomBytes(24);
  let text = '';
  for (const byte of bytes) text += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${text}`;
}

export interface StripeErrorBody {
  error: {
    type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
    code?: string;
    decline_code?: string;
    message: string;
    param?: string;
    charge?: string;
    doc_url?: string;
    payment_intent?: PaymentIntentObject;
    payment_method?: PaymentMethodObject;
  };
}

export interface PaymentMethodObject {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: { brand: string; last4: string; exp_month: number; exp_year: number; funding: 'credit'; country: 'US' };
  billing_details: { address: null; email: null; name: null; phone: null };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
}

export interface PaymentIntentObject {
  id: string;
  object: 'payment_intent';
  allowed_payment_method_types: string[];
  amount: number;
  amount_capturable: number;
  amount_received: number;
  capture_method: 'automatic';
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  last_payment_error: StripeErrorBody['error'] | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  next_action: null;
  payment_method: string | null;
  payment_method_types: string[];
  status: 'succeeded' | 'requires_payment_method';
}

export function paymentMethodObject(card: TestCard, createdSeconds: number): PaymentMethodObject {
  return {
    id: stripeId('pm'),
    object: 'payment_method',
    type: 'card',
    card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: 2034, funding: 'credit', country: 'US' },
    billing_details: { address: null, email: null, name: null, phone: null },
    created: createdSeconds,
    customer: null,
    livemode: false,
    metadata: {},
  };
}

export interface NewIntent {
  amount: number;
  currency: string;
  description: string | null;
  metadata: Record<string, string>;
  card: TestCard;
  createdSeconds: number;
}

/** A confirmed, automatically captured PaymentIntent: `succeeded`, or declined with its error. */
export function confirmedIntent(input: NewIntent): { intent: PaymentIntentObject; decline: StripeErrorBody | null } {
  const id = stripeId('pi');
  const chargeId = stripeId('ch');
  const paymentMethod = paymentMethodObject(input.card, input.createdSeconds);
  const base = {
    id,
    object: 'payment_intent',
    amount: input.amount,
    amount_capturable: 0,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${stripeId('s').slice(2)}`,
    confirmation_method: 'automatic',
    created: input.createdSeconds,
    currency: input.currency,
    customer: null,
    description: input.description,
    latest_charge: chargeId,
    livemode: false,
    metadata: input.metadata,
    next_action: null,
  } as const;
  const decline = input.card.decline;
  if (!decline) {
    const intent: PaymentIntentObject = {
      ...base,
      allowed_payment_method_types: ['card'],
      payment_method_types: ['card'],
      amount_received: input.amount,
      last_payment_error: null,
      payment_method: paymentMethod.id,
      status: 'succeeded',
    };
    return { intent, decline: null };
  }
  const lastPaymentError: StripeErrorBody['error'] = {
    type: 'card_error',
    code: decline.code,
    decline_code: decline.declineCode,
    message: decline.message,
    charge: chargeId,
    doc_url: `https://docs.stripe.com/error-codes/${decline.code.replaceAll('_', '-')}`,
    payment_method: paymentMethod,
  };
  const intent: PaymentIntentObject = {
    ...base,
    allowed_payment_method_types: ['card'],
    payment_method_types: ['card'],
    amount_received: 0,
    last_payment_error: lastPaymentError,
    // Stripe detaches the failed method: the intent waits for another one.
    payment_method: null,
    status: 'requires_payment_method',
  };
  return { intent, decline: { error: { ...lastPaymentError, payment_intent: intent } } };
}

export function invalidRequest(message: string, extra: { code?: string; param?: string } = {}): StripeErrorBody {
  return { error: { type: 'invalid_request_error', message, ...extra } };
}
