import { createHash } from 'node:crypto';
import { canonicalParams, type FormParams, type FormValue } from './form-body.ts';
import type { IdempotencyRecord, SimulatorLedger } from './ledger.ts';
import { confirmedIntent, invalidRequest, type StripeErrorBody } from './stripe-objects.ts';
import { findTestCard } from './test-cards.ts';

/** What the HTTP layer writes: a status, a JSON text, and any extra headers. */
export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Answer {
  return { status, body: JSON.stringify(body), ...(headers ? { headers } : {}) };
}

export interface PaymentIntentDeps {
  ledger: SimulatorLedger;
  now: () => number;
  /** Stripe keeps idempotency keys at least 24 h and may prune them after; this is that age. */
  idempotencyKeyTtlMs: number;
}

const CREATE_PARAMS = new Set([
  'amount',
  'currency',
  'payment_method',
  'allowed_payment_method_types',
  'payment_method_types',
  'confirm',
  'capture_method',
  'description',
  'metadata',
  'statement_descriptor_suffix',
  'receipt_email',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
const MAX_AMOUNT = 99_999_999;

/**
 * `POST /v1/payment_intents` with `confirm=true`, idempotent like Stripe: the first request that
 * starts executing under a key has its status and body saved with the charge, in one
 * transaction; the same key with the same parameters replays them (`Idempotent-Replayed: true`);
 * with other parameters it is a 400 `idempotency_error`. Requests that fail validation save
 * nothing, as at Stripe.
 */
export function createPaymentIntent(
  deps: PaymentIntentDeps,
  params: FormParams,
  key: string | undefined,
  requestId: string,
): Answer {
  const fingerprint = createHash('sha256')
    .update(`POST /v1/payment_intents ${canonicalParams(params)}`)
    .digest('hex');
  const now = deps.now();
  if (key !== undefined) {
    const saved = deps.ledger.findRecord(key, now, deps.idempotencyKeyTtlMs);
    if (saved) return replay(deps.ledger, saved, fingerprint);
  }
  const invalid = validateCreate(params);
  if (invalid) return json(400, invalid);
  const token = params.payment_method as string;
  const card = findTestCard(token);
  if (!card) {
    return json(
      400,
      invalidRequest(`No such PaymentMethod: '${token}'`, { code: 'resource_missing', param: 'payment_method' }),
    );
  }
  const { intent, decline } = confirmedIntent({
    amount: Number(params.amount),
    currency: params.currency as string,
    description: typeof params.description === 'string' ? params.description : null,
    metadata: (params.metadata as Record<string, string> | undefined) ?? {},
    card,
    createdSeconds: Math.floor(now / 1000),
  });
  const answer = decline ? json(402, decline) : json(200, intent);
  const committed = deps.ledger.commitCharge(
    {
      intent,
      paymentMethod: token,
      declineCode: card.decline?.declineCode ?? null,
      createdMs: now,
      idempotency:
        key === undefined
          ? null
          : { key, fingerprint, statusCode: answer.status, body: answer.body, requestId, createdMs: now },
    },
    deps.idempotencyKeyTtlMs,
  );
  // Another process sharing the ledger file won the key between our check and our commit.
  if (committed.kind === 'raced') return replay(deps.ledger, committed.record, fingerprint);
  return answer;
}

function replay(ledger: SimulatorLedger, saved: IdempotencyRecord, fingerprint: string): Answer {
  if (saved.fingerprint !== fingerprint) {
    return json(400, {
      error: {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${saved.key}' if you meant to execute a different request.`,
      },
    } satisfies StripeErrorBody);
  }
  ledger.countReplay(saved.key);
  return {
    status: saved.statusCode,
    body: saved.body,
    headers: { 'Idempotent-Replayed': 'true', 'Original-Request': saved.requestId },
  };
}

function validateCreate(params: FormParams): StripeErrorBody | null {
  const unknown = Object.keys(params).find((name) => !CREATE_PARAMS.has(name));
  if (unknown)
    return invalidRequest(`Received unknown parameter: ${unknown}`, { code: 'parameter_unknown', param: unknown });
  for (const name of ['amount', 'currency', 'payment_method'] as const) {
    if (params[name] === undefined) {
      return invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
    }
    if (typeof params[name] !== 'string') return invalidParam(name, `Invalid ${name}`);
  }
  const amountText = params.amount as string;
  if (!/^\d+$/.test(amountText)) return invalidParam('amount', `Invalid integer: ${amountText}`);
  const amount = Number(amountText);
  const currency = params.currency as string;
  if (!/^[a-z]{3}$/.test(currency)) return invalidParam('currency', `Invalid currency: ${currency}`);
  if (amount < 1) return invalidRequest('Amount must be at least 1.', { code: 'amount_too_small', param: 'amount' });
  if (amount > MAX_AMOUNT) {
    return invalidRequest(`Amount must be no more than ${MAX_AMOUNT}.`, { code: 'amount_too_large', param: 'amount' });
  }
  if (currency === 'isk' && amount % 100 !== 0) {
    return invalidRequest(
      'Invalid amount. Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100.',
      { code: 'invalid_charge_amount_no_decimal_compatible', param: 'amount' },
    );
  }
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    return invalidParam('amount', `Invalid amount. ${currency.toUpperCase()} amounts must end in 0.`);
  }
  if (params.confirm !== 'true') {
    return invalidParam('confirm', 'The gateway simulator only creates confirmed PaymentIntents: send confirm=true.');
  }
  if (params.capture_method !== undefined && params.capture_method !== 'automatic') {
    return invalidParam('capture_method', 'The gateway simulator supports capture_method=automatic only.');
  }
  // `allowed_payment_method_types` since API 2026-10-28; `payment_method_types` before.
  for (const name of ['allowed_payment_method_types', 'payment_method_types'] as const) {
    const types = params[name];
    if (types !== undefined && !(Array.isArray(types) && types.length === 1 && types[0] === 'card')) {
      return invalidParam(name, `The gateway simulator supports ${name}=[card] only.`);
    }
  }
  return validateMetadata(params.metadata);
}

function validateMetadata(metadata: FormValue | undefined): StripeErrorBody | null {
  if (metadata === undefined) return null;
  if (typeof metadata === 'string' || Array.isArray(metadata)) return invalidParam('metadata', 'Invalid object');
  const entries = Object.entries(metadata);
  if (entries.length > 50) return invalidParam('metadata', 'Metadata can have at most 50 keys.');
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || name.length > 40 || value.length > 500) {
      return invalidParam(
        `metadata[${name}]`,
        'Metadata keys are at most 40 characters, values strings of at most 500.',
      );
    }
  }
  return null;
}

function invalidParam(param: string, message: string): StripeErrorBody {
  return invalidRequest(message, { code: 'parameter_invalid', param });
}

/** `GET /v1/payment_intents/:id`. */
export function retrievePaymentIntent(deps: PaymentIntentDeps, id: string): Answer {
  const intent = deps.ledger.findIntent(id);
  if (!intent) {
    return json(404, invalidRequest(`No such payment_intent: '${id}'`, { code: 'resource_missing', param: 'intent' }));
  }
  return json(200, intent);
}

/**
 * `GET /v1/payment_intents/search?query=…`: clauses `metadata['key']:'value'` and
 * `status:'value'` joined by AND. Unlike Stripe's search (eventually consistent, usually under a
 * minute), this one sees a charge the moment it is committed.
 */
export function searchPaymentIntents(deps: PaymentIntentDeps, searchParams: URLSearchParams): Answer {
  const query = searchParams.get('query');
  if (query === null)
    return json(400, invalidRequest('Missing required param: query.', { code: 'parameter_missing', param: 'query' }));
  const limit = Number(searchParams.get('limit') ?? '10');
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return json(400, invalidParam('limit', 'limit must be 1 to 100'));
  const filter = parseSearchQuery(query);
  if (typeof filter === 'string') return json(400, invalidParam('query', filter));
  const data = deps.ledger.searchIntents(filter, limit);
  return json(200, {
    object: 'search_result',
    data,
    has_more: false,
    next_page: null,
    url: '/v1/payment_intents/search',
  });
}

const METADATA_CLAUSE = /^metadata\[(['"])(.+?)\1\]:(['"])((?:\\.|(?!\3).)*)\3$/;
const STATUS_CLAUSE = /^status:(['"])([a-z_]+)\1$/;

export function parseSearchQuery(query: string): { metadata: Record<string, string>; status?: string } | string {
  const metadata: Record<string, string> = {};
  let status: string | undefined;
  for (const clause of query.trim().split(/\s+AND\s+/)) {
    const byMetadata = METADATA_CLAUSE.exec(clause);
    if (byMetadata?.[2] !== undefined && byMetadata[4] !== undefined) {
      metadata[byMetadata[2]] = byMetadata[4].replace(/\\(.)/g, '$1');
      continue;
    }
    const byStatus = STATUS_CLAUSE.exec(clause);
    if (byStatus?.[2] !== undefined) {
      status = byStatus[2];
      continue;
    }
    return `Unsupported search clause ${JSON.stringify(clause)}: the simulator understands metadata['key']:'value' and status:'value', joined by AND`;
  }
  return status === undefined ? { metadata } : { metadata, status };
}
