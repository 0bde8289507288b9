import http from 'node:http';
import https from 'node:https';
import Stripe from 'stripe';
import type { CaptureOptions, CaptureOutcome, CaptureRequest, PaymentGateway } from './payment-gateway.ts';
import { GatewayError } from './payment-gateway.ts';
import { toStripeAmount } from './stripe-amount.ts';
import { classifyStripeError } from './stripe-errors.ts';

export interface StripeGatewayOptions {
  /** A secret key (`sk_live_…`, `sk_test_…`) or restricted key with PaymentIntents read/write. */
  apiKey: string;
  /** Where the API is, e.g. `http://127.0.0.1:12111` for the gateway simulator. Default Stripe. */
  baseUrl?: string;
  /** Default time a capture may take before its outcome is `unknown`. */
  timeoutMs: number;
  /** Time a lookup may take; defaults to `timeoutMs`. */
  lookupTimeoutMs?: number;
  /** Clock for `Retry-After` dates; defaults to `Date.now`. */
  now?: () => number;
}

export interface StripeGateway extends PaymentGateway {
  /** Drops kept-alive connections; calls made afterwards open new ones. */
  close(): void;
}

/** Payment ids are UUIDs; anything else could break out of the search query string. */
const PAYMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

/** Extra time the adapter's own deadline allows beyond the SDK's socket timeout. */
const DEADLINE_GRACE_MS = 250;

/**
 * The production gateway: Stripe PaymentIntents through the official SDK.
 *
 * - `capture` creates and confirms a PaymentIntent with automatic capture, under
 *   `Idempotency-Key: <paymentId>`. Its parameters are a pure function of the request, so a
 *   retry under the same key is byte-for-byte the same request (anything time-varying would turn
 *   the retry into an `idempotency_error`).
 * - The SDK's own retries are off (`maxNetworkRetries: 0`): the worker owns retries. The SDK still
 *   retries ONCE by itself on ECONNRESET/EPIPE, with the same headers — so under our key, which
 *   keeps that hidden retry harmless.
 * - Stripe keeps idempotency keys for at least 24 hours, then may prune them: a create replayed
 *   after that could charge again. The worker must resolve an `unknown` within that window, and
 *   after it use `lookup` before any new attempt.
 * - `lookup` uses PaymentIntent search on `metadata['till_payment_id']`. Search is eventually
 *   consistent (Stripe: usually under a minute, longer during incidents), so `null` right after an
 *   `unknown` attempt means "still unknown". It never replays the create: that could charge.
 */
export function createStripeGateway(options: StripeGatewayOptions): StripeGateway {
  const now = options.now ?? Date.now;
  const endpoint = parseBaseUrl(options.baseUrl);
  const agent =
    endpoint.protocol === 'http' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
  const stripe = new Stripe(options.apiKey, {
    ...endpoint,
    httpAgent: agent,
    maxNetworkRetries: 0,
    timeout: options.timeoutMs,
    telemetry: false,
  });
  // HTTP attempts the SDK made per idempotency key while captures under it run (see `capture`).
  const inFlight = new Map<string, { active: number; started: number; attempts: number }>();
  stripe.on('request', (event: Stripe.RequestEvent) => {
    const entry = event.idempotency_key === undefined ? undefined : inFlight.get(event.idempotency_key);
    if (entry) entry.attempts += 1;
  });

  async function capture(request: CaptureRequest, callOptions: CaptureOptions = {}): Promise<CaptureOutcome> {
    assertPaymentId(request.paymentId);
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
    const params = {
      amount: toStripeAmount(request.amount, request.currency),
      currency: request.currency.toLowerCase(),
      payment_method: request.gatewayToken,
      // API 2026-10-28 (the SDK's pinned version) replaced `payment_method_types` with this.
      allowed_payment_method_types: ['card'],
      confirm: true,
      capture_method: 'automatic',
      description: `Till receipt ${request.reference}`,
      metadata: { till_payment_id: request.paymentId, reference: request.reference },
    } satisfies Stripe.PaymentIntentCreateParams;
    const tracked = inFlight.get(request.paymentId) ?? { active: 0, started: 0, attempts: 0 };
    tracked.active += 1;
    tracked.started += 1;
    inFlight.set(request.paymentId, tracked);
    try {
      const intent = await withDeadline(
        stripe.paymentIntents.create(params, { idempotencyKey: request.paymentId, timeout: timeoutMs }),
        timeoutMs + DEADLINE_GRACE_MS,
      );
      return outcomeOf(intent, 'capture');
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) return declineOf(error);
      const failure = classifyStripeError(error, 'capture', now());
      // The SDK's hidden retry ran only because the first attempt's connection dropped — possibly
      // after Stripe acted. Whatever the retry met (refused, 503, 429…) says nothing about that.
      // (With concurrent captures of one payment the count is shared: it errs towards unknown.)
      if (tracked.attempts > tracked.started && failure.kind === 'retryable') {
        throw GatewayError.of(
          'connection_dropped',
          `The connection dropped after the request was sent; the SDK's own retry then failed (${failure.message})`,
          { statusCode: failure.statusCode, requestId: failure.requestId, cause: failure },
        );
      }
      throw failure;
    } finally {
      tracked.active -= 1;
      if (tracked.active === 0) inFlight.delete(request.paymentId);
    }
  }

  async function lookup(paymentId: string): Promise<CaptureOutcome | null> {
    assertPaymentId(paymentId);
    const timeoutMs = options.lookupTimeoutMs ?? options.timeoutMs;
    let intents: Stripe.PaymentIntent[];
    try {
      const result = await withDeadline(
        stripe.paymentIntents.search(
          { query: `metadata['till_payment_id']:'${paymentId}'`, limit: 100 },
          { timeout: timeoutMs },
        ),
        timeoutMs + DEADLINE_GRACE_MS,
      );
      intents = result.data;
    } catch (error) {
      throw classifyStripeError(error, 'lookup', now());
    }
    return outcomeOfAll(paymentId, intents);
  }

  return { capture, lookup, close: () => agent.destroy() };
}

/** The SDK wants host, port and protocol separately. */
function parseBaseUrl(baseUrl: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (baseUrl === undefined) return {};
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Stripe baseUrl must be http(s), got ${baseUrl}`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port ? Number(url.port) : protocol === 'http' ? 80 : 443;
  return { host: url.hostname, port, protocol };
}

function assertPaymentId(paymentId: string): void {
  if (!PAYMENT_ID_PATTERN.test(paymentId)) {
    throw GatewayError.of('invalid_request', `Not a usable payment id: ${JSON.stringify(paymentId.slice(0, 60))}`);
  }
}

/**
 * The SDK's timeout is a socket inactivity timeout; a peer trickling bytes could keep a call
 * open far longer. This bounds the whole call. When it fires the SDK call goes on unobserved —
 * its late answer is dropped, which is fine because the outcome is reported as unknown.
 */
function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(GatewayError.of('timeout', `No complete answer from Stripe within ${ms} ms`)), ms);
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

function declineOf(error: InstanceType<typeof Stripe.errors.StripeCardError>): CaptureOutcome {
  return {
    status: 'declined',
    // Some card errors carry the reason only in `code` (e.g. expired_card, incorrect_cvc).
    declineCode: error.decline_code ?? error.code ?? 'card_declined',
    message: error.message,
    gatewayRef: error.payment_intent?.id ?? null,
  };
}

/** Maps a PaymentIntent to an outcome; throws when its state is not final yet. */
function outcomeOf(intent: Stripe.PaymentIntent, operation: 'capture' | 'lookup'): CaptureOutcome {
  switch (intent.status) {
    case 'succeeded':
      return { status: 'captured', gatewayRef: intent.id };
    case 'requires_payment_method': {
      const failure = intent.last_payment_error;
      return {
        status: 'declined',
        declineCode: failure?.decline_code ?? failure?.code ?? 'card_declined',
        message: failure?.message ?? 'The card was declined.',
        gatewayRef: intent.id,
      };
    }
    case 'requires_action':
      // 3-D Secure wanted: the cardholder is long gone when a stored payment is forwarded.
      return {
        status: 'declined',
        declineCode: 'authentication_required',
        message: 'The card issuer requires the cardholder to authenticate this payment.',
        gatewayRef: intent.id,
      };
    case 'canceled':
      return {
        status: 'declined',
        declineCode: 'canceled',
        message: 'The payment was canceled.',
        gatewayRef: intent.id,
      };
    default: {
      const message = `Stripe has PaymentIntent ${intent.id} in status ${intent.status}; its outcome is not final yet`;
      throw new GatewayError(operation === 'capture' ? 'unknown' : 'retryable', 'pending_at_gateway', message);
    }
  }
}

/** One payment id must map to at most one successful PaymentIntent; more is an I4 breach. */
function outcomeOfAll(paymentId: string, intents: Stripe.PaymentIntent[]): CaptureOutcome | null {
  const mine = intents.filter((intent) => intent.metadata?.till_payment_id === paymentId);
  const succeeded = mine.filter((intent) => intent.status === 'succeeded');
  if (succeeded.length > 1) {
    throw GatewayError.of(
      'duplicate_charges',
      `Stripe holds ${succeeded.length} successful charges for payment ${paymentId}: ${succeeded.map((i) => i.id).join(', ')}`,
    );
  }
  const [charged] = succeeded;
  if (charged) return outcomeOf(charged, 'lookup');
  const latest = mine.toSorted((a, b) => b.created - a.created)[0];
  return latest ? outcomeOf(latest, 'lookup') : null;
}
