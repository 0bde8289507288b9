import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FaultSettings } from './faults.ts';
import { FormBodyError, parseFormBody } from './form-body.ts';
import {
  type Answer,
  createPaymentIntent,
  json,
  type PaymentIntentDeps,
  retrievePaymentIntent,
  searchPaymentIntents,
} from './payment-intents.ts';
import { invalidRequest, stripeId } from './stripe-objects.ts';

export interface ApiDeps extends PaymentIntentDeps {
  faults(): FaultSettings;
  /** The rate limiter: 0 admits the request, otherwise ms until it would be admitted. */
  admit(): number;
  /** When set, the only key accepted; otherwise any `sk_test_…` key. */
  apiKey: string | undefined;
  sleep(ms: number): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
const PAYMENT_INTENT_PATH = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)$/;

/**
 * The Stripe-shaped API port. Order per request: auth (401), rate limit (429), the in-flight
 * check on the idempotency key (409), latency, `failing` (503), the endpoint itself; then, in
 * `commit_then_drop`, the socket is destroyed instead of answering — after the charge was
 * committed. 401/429/409/503 are decided before anything executes and save nothing, like Stripe.
 */
export function createApiHandler(deps: ApiDeps): RequestListener {
  /** Keys whose request is executing: a second request with one gets 409, never a second charge. */
  const inFlight = new Set<string>();

  async function answer(request: IncomingMessage, body: string, requestId: string): Promise<Answer> {
    if (!authorized(request.headers.authorization, deps.apiKey)) {
      return json(401, invalidRequest('Invalid API Key provided. The simulator accepts Bearer sk_test_… keys.'));
    }
    const waitMs = deps.admit();
    if (waitMs > 0) {
      const retryAfter = deps.faults().retryAfterSeconds ?? Math.max(1, Math.ceil(waitMs / 1000));
      return json(
        429,
        invalidRequest(
          'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
          {
            code: 'rate_limit',
          },
        ),
        { 'Retry-After': String(retryAfter) },
      );
    }
    const key = request.method === 'POST' ? header(request, 'idempotency-key') : undefined;
    if (key !== undefined && inFlight.has(key)) {
      return json(
        409,
        invalidRequest(
          `There is currently another in-progress request using this idempotent key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
          { code: 'idempotency_key_in_use' },
        ),
      );
    }
    if (key !== undefined) inFlight.add(key);
    try {
      const { latencyMs } = deps.faults();
      if (latencyMs > 0) await deps.sleep(latencyMs);
      if (deps.faults().mode === 'failing') {
        return json(
          503,
          {
            error: {
              type: 'api_error',
              message: 'The gateway simulator is failing on purpose (fault mode "failing").',
            },
          },
          { 'Stripe-Should-Retry': 'true' },
        );
      }
      return route(request, body, key, requestId);
    } finally {
      if (key !== undefined) inFlight.delete(key);
    }
  }

  function route(request: IncomingMessage, body: string, key: string | undefined, requestId: string): Answer {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    if (request.method === 'POST' && url.pathname === '/v1/payment_intents') {
      try {
        return createPaymentIntent(deps, parseFormBody(body), key, requestId);
      } catch (error) {
        if (error instanceof FormBodyError) return json(400, invalidRequest(error.message, { param: error.param }));
        throw error;
      }
    }
    if (request.method === 'GET' && url.pathname === '/v1/payment_intents/search') {
      return searchPaymentIntents(deps, url.searchParams);
    }
    const byId = PAYMENT_INTENT_PATH.exec(url.pathname);
    if (request.method === 'GET' && byId?.[1]) return retrievePaymentIntent(deps, byId[1]);
    return json(404, invalidRequest(`Unrecognized request URL (${request.method}: ${url.pathname}).`));
  }

  return (request, response) => {
    const requestId = stripeId('req');
    readBody(request)
      .then((body) => answer(request, body, requestId))
      .catch((error: unknown) =>
        json(500, {
          error: {
            type: 'api_error',
            message: `Simulator bug: ${error instanceof Error ? error.message : String(error)}`,
          },
        }),
      )
      .then((result) => {
        if (deps.faults().mode === 'commit_then_drop') {
          // The work is done and committed; the caller never hears of it.
          request.socket.destroy();
          return;
        }
        write(request, response, result, requestId);
      });
  };
}

function write(request: IncomingMessage, response: ServerResponse, answer: Answer, requestId: string): void {
  const key = header(request, 'idempotency-key');
  response.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(answer.body),
    'Request-Id': requestId,
    'Stripe-Version': header(request, 'stripe-version') ?? '2025-01-27.acacia',
    ...(key !== undefined && request.method === 'POST' ? { 'Idempotency-Key': key } : {}),
    ...answer.headers,
  });
  response.end(answer.body);
}

function authorized(authorization: string | undefined, apiKey: string | undefined): boolean {
  if (!authorization) return false;
  const [scheme, credential = ''] = authorization.split(' ', 2);
  let key: string | undefined;
  if (scheme === 'Bearer') key = credential;
  // curl -u sk_test_…: sends Basic with the key as the user name.
  if (scheme === 'Basic') key = Buffer.from(credential, 'base64').toString('utf8').split(':')[0];
  if (!key) return false;
  return apiKey === undefined ? /^sk_test_\w+$/.test(key) : key === apiKey;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
