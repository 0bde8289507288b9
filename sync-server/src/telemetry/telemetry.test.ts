import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { metrics } from '@opentelemetry/api';
import {
  type DataPoint,
  DataPointType,
  type Histogram,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { API_PREFIX, type CaptureRequest, uuidv7 } from '@till/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../test/gateway-helper.ts';
import { cardOf, startTestServer, type TestServer, type TestTill } from '../../test/helper.ts';
import { ATTRIBUTES, METER_NAME, METRICS } from './instruments.ts';

/** The SDK's own pull reader: `collect()` aggregates exactly as an exporter would receive it. */
class InMemoryReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

interface Point {
  attributes: Record<string, unknown>;
  value: number | Histogram;
}

/** Every metric of one collection, by name, as plain points. */
async function collect(reader: MetricReader): Promise<{ byName: Map<string, Point[]>; raw: ResourceMetrics }> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const byName = new Map<string, Point[]>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const points = (metric.dataPoints as DataPoint<number | Histogram>[]).map((point) => ({
        attributes: { ...point.attributes },
        value: point.value,
      }));
      byName.set(metric.descriptor.name, points);
      if (metric.dataPointType === DataPointType.HISTOGRAM) expect(metric.descriptor.unit).toBe('s');
    }
  }
  return { byName, raw: resourceMetrics };
}

/** The value of the one point whose attributes include `attributes`. */
function pointValue(
  points: Point[] | undefined,
  attributes: Record<string, unknown> = {},
): number | Histogram | undefined {
  const matching = (points ?? []).filter((point) =>
    Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
  );
  if (matching.length > 1) throw new Error(`more than one point matches ${JSON.stringify(attributes)}`);
  return matching[0]?.value;
}

function captureRequest(overrides: Partial<CaptureRequest> = {}): CaptureRequest {
  return {
    paymentId: uuidv7(),
    saleId: uuidv7(),
    amount: 1353,
    currency: 'USD',
    gatewayToken: 'pm_card_visa',
    brand: 'visa',
    last4: '4242',
    reference: 'DEMO-01-000099',
    ...overrides,
  };
}

const capture = (server: TestServer, till: TestTill, body: CaptureRequest) =>
  server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/payments/capture`,
    headers: { ...till.headers, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

/** Waits (real time) until `condition` holds; fails after 5 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
});

describe('telemetry: Till metrics through the OpenTelemetry SDK', () => {
  let server: TestServer;
  let reader: InMemoryReader;
  let provider: MeterProvider;
  beforeAll(async () => {
    reader = new InMemoryReader();
    provider = new MeterProvider({ readers: [reader] });
    server = await startTestServer(gatewayEnv(gateway, { MAX_CONCURRENT_PUSHES: '1', PUSH_QUEUE_LIMIT: '0' }), {
      meter: provider.getMeter(METER_NAME),
    });
  });
  afterAll(async () => {
    await server.close();
    await provider.shutdown();
  });

  it('[telemetry] pushes, 429s, live and worker captures, backlog, breaker and load are recorded with their values', async () => {
    const till = await server.enroll();
    const other = await server.enroll('Side till');
    const approved = await till.nextCardSale();
    const declined = await till.nextCardSale({ gatewayToken: 'pm_card_chargeDeclined', last4: '0002' });
    const cash = await till.nextSale();
    const body = till.pushBody([approved, declined, cash]);
    expect((await till.push(body)).statusCode).toBe(200);
    expect((await till.push(body)).statusCode).toBe(200); // a replay: answered the same

    // Two card payments wait for the worker: the backlog gauge reads the ledger.
    let { byName } = await collect(reader);
    expect(pointValue(byName.get(METRICS.captureBacklog))).toBe(2);
    expect(pointValue(byName.get(METRICS.breakerState))).toBe(0);

    // A push held (its body not sent yet) takes the only slot: the gauges show it, and the other
    // till's push is shed with 429.
    const stream = new PassThrough();
    const held = server.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/push`,
      headers: { ...till.headers, 'content-type': 'application/json' },
      payload: stream,
    });
    await until(() => server.app.loadShedding.health()?.push?.inFlight === 1, 'the held push to take the slot');
    ({ byName } = await collect(reader));
    expect(pointValue(byName.get(METRICS.loadInFlight), { 'till.route': 'push' })).toBe(1);
    expect(pointValue(byName.get(METRICS.loadQueued), { 'till.route': 'push' })).toBe(0);
    expect((await other.push(other.pushBody(await other.nextSales(1)))).statusCode).toBe(429);
    stream.end(JSON.stringify(till.pushBody([await till.nextSale()])));
    expect((await held).statusCode).toBe(200);

    // One live capture at the counter; the worker drains the two stored payments.
    expect((await capture(server, till, captureRequest())).statusCode).toBe(200);
    const worker = server.app.captureWorker;
    if (worker === null) throw new Error('the gateway is configured, so there is a worker');
    expect(await worker.runOnce()).toBe(2);

    ({ byName } = await collect(reader));
    expect(pointValue(byName.get(METRICS.pushes), { 'http.response.status_code': 200, 'till.outcome': 'ok' })).toBe(3);
    expect(pointValue(byName.get(METRICS.pushes), { 'http.response.status_code': 429, 'till.outcome': 'shed' })).toBe(
      1,
    );
    expect(pointValue(byName.get(METRICS.tooManyRequests), { 'http.route': `${API_PREFIX}/sync/push` })).toBe(1);
    const durations = pointValue(byName.get(METRICS.pushDuration), { 'till.outcome': 'ok' }) as Histogram;
    expect(durations.count).toBe(3);
    expect(durations.sum).toBeGreaterThan(0);
    expect(durations.sum).toBeLessThan(30);
    const finished = byName.get(METRICS.capturesFinished);
    expect(pointValue(finished, { 'till.payment.outcome': 'captured', 'till.capture.path': 'live' })).toBe(1);
    expect(pointValue(finished, { 'till.payment.outcome': 'captured', 'till.capture.path': 'worker' })).toBe(1);
    expect(pointValue(finished, { 'till.payment.outcome': 'declined', 'till.capture.path': 'worker' })).toBe(1);
    expect(finished).toHaveLength(3);
    expect(pointValue(byName.get(METRICS.captureBacklog))).toBe(0);

    // The breaker of this process opens after consecutive failures: the gauge says 2.
    const { breaker } = server.app.paymentGateway;
    for (let failures = 0; failures < 5; failures += 1) {
      const decision = breaker.tryAcquire();
      if (decision.allowed) breaker.recordFailure(decision.permit);
    }
    ({ byName } = await collect(reader));
    expect(pointValue(byName.get(METRICS.breakerState))).toBe(2);
  });

  it('[I8] no token, card detail, id or secret appears in any metric attribute', async () => {
    const till = await server.enroll();
    const sale = await till.nextCardSale({ gatewayToken: 'pm_card_mastercard', last4: '4444' });
    expect((await till.push(till.pushBody([sale]))).statusCode).toBe(200);
    const { raw } = await collect(reader);
    const attributes = JSON.stringify(
      raw.scopeMetrics.flatMap((scope) =>
        scope.metrics.flatMap((metric) => metric.dataPoints.map((point) => point.attributes)),
      ),
    );
    const secrets = [
      till.enrollment.deviceToken,
      'till_dev_',
      'pm_card',
      '4242',
      '4444',
      'sk_test',
      sale.id,
      cardOf(sale).id,
      till.deviceId,
      'authorization',
      'cookie',
    ];
    for (const secret of secrets) expect(attributes).not.toContain(secret);
    // Only the attribute names the instruments declare.
    const declared = Object.values(ATTRIBUTES) as string[];
    const keys = new Set([...attributes.matchAll(/"([^"]+)":/g)].map((match) => match[1] ?? ''));
    for (const key of keys) expect(declared).toContain(key);
    expect(keys.size).toBeGreaterThanOrEqual(5);
  });
});

describe('telemetry off', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    metrics.disable();
  });

  it('[telemetry] with no exporter configured nothing is recorded, even where a global meter provider exists', async () => {
    const reader = new InMemoryReader();
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
    server = await startTestServer(gatewayEnv(gateway));
    expect(server.config.telemetry.exporter).toBe('off');
    const till = await server.enroll();
    expect((await till.push(till.pushBody([await till.nextCardSale()]))).statusCode).toBe(200);
    expect(await server.app.captureWorker?.runOnce()).toBe(1);
    const { byName } = await collect(reader);
    expect([...byName.keys()]).toEqual([]);
    await provider.shutdown();
  });
});
