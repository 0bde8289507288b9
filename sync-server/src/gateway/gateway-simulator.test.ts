import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@till/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayControl, gatewayControl } from '../../../scripts/gateway-simulator/control-client.ts';
import { parseFormBody } from '../../../scripts/gateway-simulator/form-body.ts';
import { parseSearchQuery } from '../../../scripts/gateway-simulator/payment-intents.ts';
import { type GatewaySimulator, startGatewaySimulator } from '../../../scripts/gateway-simulator/simulator.ts';

/**
 * The simulator's own contract, over raw HTTP (no SDK): Stripe's idempotency rules, its auth and
 * rate limit answers, the control port — what the adapter tests rely on without checking.
 */
const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
const DAY_MS = 24 * 60 * 60 * 1000;
let dataDir: string;
let simulator: GatewaySimulator;
let control: GatewayControl;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'till-gateway-sim-'));
  simulator = await startGatewaySimulator({
    apiPort: 0,
    controlPort: 0,
    dataFile: join(dataDir, 'sim.sqlite'),
    now: () => clock.now,
  });
  control = gatewayControl(simulator.controlUrl);
});
afterAll(async () => {
  await simulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await control.reset();
});

function createBody(paymentId: string, overrides: Record<string, string> = {}): string {
  return new URLSearchParams({
    amount: '1250',
    currency: 'usd',
    payment_method: 'pm_card_visa',
    'allowed_payment_method_types[0]': 'card',
    confirm: 'true',
    'metadata[till_payment_id]': paymentId,
    ...overrides,
  }).toString();
}

function post(body: string, key?: string, authorization = 'Bearer sk_test_sim'): Promise<Response> {
  return fetch(`${simulator.apiUrl}/v1/payment_intents`, {
    method: 'POST',
    headers: {
      authorization,
      'content-type': 'application/x-www-form-urlencoded',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body,
  });
}

describe('idempotency, as Stripe does it', () => {
  it('[I4] same key, same parameters: the saved status and body are replayed, marked Idempotent-Replayed', async () => {
    const key = uuidv7();
    const first = await post(createBody(key), key);
    const firstBody = await first.text();
    const again = await post(createBody(key), key);
    expect(again.status).toBe(first.status);
    expect(await again.text()).toBe(firstBody);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect((await control.ledger()).counts.byIdempotencyKey[key]).toBe(1);
  });

  it('[I4] a declined request is saved too: its replay is the same 402, not a second attempt', async () => {
    const key = uuidv7();
    const body = createBody(key, { payment_method: 'pm_card_chargeDeclinedLostCard' });
    const first = await post(body, key);
    const again = await post(body, key);
    expect([first.status, again.status]).toEqual([402, 402]);
    const error = (
      (await again.json()) as { error: { type: string; decline_code: string; payment_intent: { status: string } } }
    ).error;
    expect(error).toMatchObject({
      type: 'card_error',
      decline_code: 'lost_card',
      payment_intent: { status: 'requires_payment_method' },
    });
    expect((await control.ledger()).counts.byIdempotencyKey[key]).toBe(1);
  });

  it('[I4] same key, other parameters: 400 idempotency_error, nothing charged', async () => {
    const key = uuidv7();
    await post(createBody(key), key);
    const other = await post(createBody(key, { amount: '1251' }), key);
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { type: 'idempotency_error' } });
    expect((await control.ledger()).charges).toHaveLength(1);
  });

  it('the order of form fields does not make a different request', async () => {
    const key = uuidv7();
    await post(createBody(key), key);
    const reordered = [...new URLSearchParams(createBody(key))].reverse();
    const again = await post(new URLSearchParams(reordered).toString(), key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a request that fails validation saves nothing: the corrected request may reuse the key', async () => {
    const key = uuidv7();
    const invalid = await post(createBody(key, { amount: 'twelve' }), key);
    expect(invalid.status).toBe(400);
    const valid = await post(createBody(key), key);
    expect(valid.status).toBe(200);
  });

  it('[I4] after the key expires (Stripe keeps keys ≥ 24 h) the same create charges AGAIN — a worker must look up before re-sending an old key', async () => {
    const key = uuidv7();
    await post(createBody(key), key);
    clock.now += DAY_MS + 1;
    try {
      await post(createBody(key), key);
      expect((await control.ledger()).counts.succeededByTillPaymentId[key]).toBe(2);
    } finally {
      clock.now -= DAY_MS + 1;
    }
  });
});

describe('API surface', () => {
  it('refuses requests without a test secret key (401)', async () => {
    expect((await post(createBody(uuidv7()), undefined, 'Bearer pk_test_public')).status).toBe(401);
    expect((await post(createBody(uuidv7()), undefined, '')).status).toBe(401);
    const basic = `Basic ${Buffer.from('sk_test_curl:').toString('base64')}`;
    expect((await post(createBody(uuidv7()), undefined, basic)).status).toBe(200);
  });

  it('an unknown card token is 400 resource_missing and no charge', async () => {
    const response = await post(createBody(uuidv7(), { payment_method: 'pm_card_bogus' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'resource_missing', param: 'payment_method' } });
    expect((await control.ledger()).charges).toHaveLength(0);
  });

  it('unknown parameters are refused, as Stripe does', async () => {
    const response = await post(createBody(uuidv7(), { amount_to_charge: '1' }));
    expect(await response.json()).toMatchObject({ error: { code: 'parameter_unknown', param: 'amount_to_charge' } });
  });

  it('rate_limited admits ratePerSecond requests, then 429 with Retry-After', async () => {
    await control.setFault({ mode: 'rate_limited', ratePerSecond: 2 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let call = 0; call < 3; call += 1) {
      const response = await post(createBody(uuidv7()));
      statuses.push(response.status);
      retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('the control port rejects an unknown fault mode with 400', async () => {
    const response = await fetch(`${simulator.controlUrl}/control/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'flaky' }),
    });
    expect(response.status).toBe(400);
    expect((await control.fault()).fault.mode).toBe('up');
  });
});

describe('wire formats', () => {
  it('reads bracketed form keys into objects and arrays, and refuses prototype keys', () => {
    expect(parseFormBody('a=1&metadata[k]=v&metadata[n]=w&list[0]=x&list[1]=y')).toEqual({
      a: '1',
      metadata: { k: 'v', n: 'w' },
      list: ['x', 'y'],
    });
    expect(() => parseFormBody('__proto__[polluted]=1')).toThrow(/Invalid parameter/);
    expect(() => parseFormBody('a=1&a=2')).toThrow(/duplicate/);
  });

  it("understands the adapter's search query and refuses what it does not support", () => {
    expect(parseSearchQuery("metadata['till_payment_id']:'abc-1'")).toEqual({ metadata: { till_payment_id: 'abc-1' } });
    expect(parseSearchQuery('metadata["k"]:"v" AND status:\'succeeded\'')).toEqual({
      metadata: { k: 'v' },
      status: 'succeeded',
    });
    expect(parseSearchQuery('amount>100')).toMatch(/Unsupported search clause/);
  });
});
