import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { API_PREFIX, type EnrollResponse, PROTOCOL_VERSION, uuidv7 } from '@till/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../../../scripts/storm/processes.ts';
import { outageSales } from '../../../scripts/storm/sales.ts';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../test/gateway-helper.ts';
import { createEnrollmentCode } from '../admin.ts';
import { loadConfig } from '../config.ts';
import { seedDemo } from '../seed.ts';
import { openLedger } from '../store/open-ledger.ts';
import { METRICS } from './instruments.ts';

/**
 * The server process as an operator starts it (`server.ts`), with OTEL_EXPORTER_OTLP_ENDPOINT
 * pointing at a collector on loopback: what arrives is what any OTLP collector would receive —
 * server spans named by route, the gateway call as a client span, and Till's metrics — and
 * nothing secret. (The Azure Monitor leg cannot run here: its distro probes the Azure VM metadata
 * endpoint and Microsoft's ingestion hosts; see docs/deploy-azure.md.)
 */

interface Received {
  path: string;
  contentType: string;
  text: string;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}
interface OtlpSpan {
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
}

let collector: Server;
let collectorUrl: string;
const received: Received[] = [];
let gateway: TestGateway;
let dataDir: string;

beforeAll(async () => {
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        text: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  gateway = await startTestGateway();
  dataDir = mkdtempSync(join(tmpdir(), 'till-otlp-'));
});
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
  await gateway.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const spansIn = (entries: Received[]): OtlpSpan[] =>
  entries.flatMap((entry) =>
    (JSON.parse(entry.text) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap(
      (resource) => resource.scopeSpans.flatMap((scope) => scope.spans),
    ),
  );
const metricNamesIn = (entries: Received[]): Set<string> =>
  new Set(
    entries.flatMap((entry) =>
      (
        JSON.parse(entry.text) as { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] }
      ).resourceMetrics.flatMap((resource) =>
        resource.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.name)),
      ),
    ),
  );
const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

it('[telemetry] OTLP: the server process exports route-named request spans, the gateway call and Till metrics, and no secret', async () => {
  const config = loadConfig({ TILL_DATA_DIR: dataDir });
  const ledger = await openLedger(config.database);
  const { store } = await seedDemo(ledger);
  const { code } = await createEnrollmentCode(ledger, store.id, 60);
  await ledger.close();

  let server: ServerProcess | undefined;
  try {
    server = await spawnServer({
      ...gatewayEnv(gateway),
      TILL_DATA_DIR: dataDir,
      PWA_DIR: join(dataDir, 'no-pwa'),
      LOG_LEVEL: 'warn',
      CAPTURE_WORKER: 'on',
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      OTEL_METRIC_EXPORT_INTERVAL: '300',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_SERVICE_NAME: 'till-otlp-test',
    });
    const url = server.url;
    const enrolled = await fetch(`${url}${API_PREFIX}/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: 'OTLP till', appVersion: 'test' }),
    });
    expect(enrolled.status).toBe(201);
    const enrollment = (await enrolled.json()) as EnrollResponse;
    const sales = await outageSales({
      store: enrollment.store,
      deviceNo: enrollment.deviceNo,
      count: 2,
      cardShare: 0.5,
      endedAt: Date.now(),
    });
    const pushed = await fetch(`${url}${API_PREFIX}/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${enrollment.deviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, batchId: uuidv7(), sales }),
    });
    expect(pushed.status).toBe(200);

    // The worker captures the stored card; the metrics say so within a few export intervals.
    const deadline = Date.now() + 15_000;
    const metricPosts = () => received.filter((entry) => entry.path === '/v1/metrics');
    while (Date.now() < deadline && !metricNamesIn(metricPosts()).has(METRICS.capturesFinished)) await delay(100);

    expect(await server.stop()).toBe(0); // SIGTERM: shutdown flushes what is buffered
    server = undefined;

    const names = metricNamesIn(metricPosts());
    for (const name of [METRICS.pushes, METRICS.pushDuration, METRICS.capturesFinished, METRICS.captureBacklog]) {
      expect(names, name).toContain(name);
    }
    expect(names).toContain(METRICS.breakerState);
    const traces = received.filter((entry) => entry.path === '/v1/traces');
    expect(traces.every((entry) => entry.contentType.startsWith('application/json'))).toBe(true);
    const spans = spansIn(traces);
    const SERVER = 2;
    const CLIENT = 3;
    const push = spans.find((span) => span.kind === SERVER && span.name === `POST ${API_PREFIX}/sync/push`);
    expect(push, JSON.stringify(spans.map((span) => span.name))).toBeDefined();
    if (push === undefined) return;
    expect(attribute(push, 'http.route')).toBe(`${API_PREFIX}/sync/push`);
    // Health checks are not traced (the load balancer's probes would drown the rest).
    expect(spans.some((span) => span.name.includes('/health'))).toBe(false);
    // The capture went out to the gateway: a client span, under the gateway's host.
    expect(spans.some((span) => span.kind === CLIENT)).toBe(true);
    expect(received.some((entry) => entry.text.includes('till-otlp-test'))).toBe(true);

    // I8: nothing the till or the gateway treats as secret reached the collector.
    const everything = received.map((entry) => entry.text).join('\n');
    for (const secret of [enrollment.deviceToken, 'sk_test_till_tests', 'pm_card_visa', 'Bearer ']) {
      expect(everything).not.toContain(secret);
    }
  } finally {
    await server?.stop();
  }
}, 40_000);
