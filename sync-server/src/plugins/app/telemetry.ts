import { type Attributes, type BatchObservableCallback, type Meter, metrics, trace } from '@opentelemetry/api';
import { API_PREFIX } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TelemetryConfig } from '../../config.ts';
import { observeCaptureOutcomes } from '../../telemetry/capture-outcomes.ts';
import {
  ATTRIBUTES,
  BREAKER_STATE_VALUE,
  createInstruments,
  METER_NAME,
  type TillInstruments,
} from '../../telemetry/instruments.ts';
import { SERVER_VERSION } from '../../version.ts';

export interface TelemetryPluginOptions {
  config: TelemetryConfig;
  /**
   * The meter to record on. Default: the global OpenTelemetry API's, which `startTelemetry`
   * wired to Azure Monitor or OTLP. Tests pass one from a MeterProvider with an in-memory reader.
   */
  meter?: Meter;
}

const PUSH_ROUTE = `${API_PREFIX}/sync/push`;

/**
 * Request and server-state telemetry (see `telemetry/instruments.ts` for what each metric means).
 * With telemetry off and no meter given it registers nothing: no hook, no wrapper, no callback.
 *
 * What it reads is never secret: route templates, status codes, payment states, breaker and
 * admission counters. It does not look at headers or bodies (I8).
 */
async function telemetry(fastify: FastifyInstance, options: TelemetryPluginOptions): Promise<void> {
  const meter =
    options.meter ?? (options.config.exporter === 'off' ? undefined : metrics.getMeter(METER_NAME, SERVER_VERSION));
  if (meter === undefined) return;
  const instruments = createInstruments(meter);

  // The HTTP instrumentation made a server span for this request (when tracing is on); name it
  // by the route template so requests group as `POST /api/v1/sync/push`, not one per URL.
  fastify.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    const span = trace.getActiveSpan();
    if (span === undefined || route === undefined) return;
    span.setAttribute(ATTRIBUTES.route, route);
    span.updateName(`${request.method} ${route}`);
  });

  fastify.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const route = request.routeOptions.url;
    if (status === 429) instruments.tooManyRequests.add(1, { [ATTRIBUTES.route]: route ?? 'unmatched' });
    if (route !== PUSH_ROUTE) return;
    const attributes: Attributes = { [ATTRIBUTES.statusCode]: status, [ATTRIBUTES.outcome]: outcomeOf(status) };
    instruments.pushes.add(1, attributes);
    instruments.pushDuration.record(reply.elapsedTime / 1000, attributes);
  });

  const restore = observeCaptureOutcomes(fastify.ledger, ({ outcome, path }) =>
    instruments.capturesFinished.add(1, { [ATTRIBUTES.paymentOutcome]: outcome, [ATTRIBUTES.capturePath]: path }),
  );
  const stopObserving = observeServerState(fastify, instruments, meter);
  fastify.addHook('onClose', async () => {
    stopObserving();
    restore();
  });
}

function outcomeOf(status: number): 'ok' | 'shed' | 'client_error' | 'server_error' {
  if (status === 429) return 'shed';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

/**
 * The gauges, read when the metric reader collects (every export interval), not on a timer of
 * our own. The backlog is one SQL count; if the ledger does not answer, the point is skipped
 * rather than reported as 0.
 */
function observeServerState(fastify: FastifyInstance, instruments: TillInstruments, meter: Meter): () => void {
  const { captureBacklog, breakerState, loadInFlight, loadQueued } = instruments;
  const observe: BatchObservableCallback = async (results) => {
    try {
      results.observe(captureBacklog, await fastify.ledger.paymentBacklog());
    } catch (error) {
      fastify.log.warn({ err: error }, 'telemetry: could not read the capture backlog');
    }
    if (fastify.paymentGateway.configured) {
      results.observe(breakerState, BREAKER_STATE_VALUE[fastify.paymentGateway.breaker.state().state]);
    }
    const load = fastify.loadShedding.health();
    for (const [route, stats] of Object.entries(load ?? {})) {
      results.observe(loadInFlight, stats.inFlight, { [ATTRIBUTES.shedRoute]: route });
      results.observe(loadQueued, stats.queued, { [ATTRIBUTES.shedRoute]: route });
    }
  };
  const gauges = [captureBacklog, breakerState, loadInFlight, loadQueued];
  meter.addBatchObservableCallback(observe, gauges);
  return () => meter.removeBatchObservableCallback(observe, gauges);
}

export default fp(telemetry, { name: 'telemetry', dependencies: ['ledger', 'payment-gateway', 'load-shedding'] });
