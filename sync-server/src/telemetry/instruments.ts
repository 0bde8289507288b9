import type { Counter, Histogram, Meter, ObservableGauge } from '@opentelemetry/api';

/** The meter's name: what a collector or Application Insights shows as the instrumentation scope. */
export const METER_NAME = 'till-sync-server';

/**
 * Till's own metrics. Names follow the OpenTelemetry conventions (dotted namespace, unit apart,
 * no `_total`); Application Insights shows them under these names in `customMetrics`.
 *
 * Attributes are low-cardinality enums, route templates and status codes only — never a token,
 * a card detail, an id or anything from a body (I8). `telemetry.test.ts` checks that.
 */
export const METRICS = {
  /** Push requests answered, by status code and outcome (ok, shed, client_error, server_error). */
  pushes: 'till.sync.pushes',
  /** How long a push took, from the request arriving to the answer sent, in seconds. */
  pushDuration: 'till.sync.push.duration',
  /** Requests answered 429 (load shedding, sign-in limits), by route template. */
  tooManyRequests: 'till.http.too_many_requests',
  /**
   * Capture work recorded, by the state it left the payment in (captured, declined, expired: the
   * drain; pending, unknown: a retry; quarantined; lease_lost: the work was not applied) and by
   * path (live capture or the capture worker). Its rate is the drain rate.
   */
  capturesFinished: 'till.captures.finished',
  /** Card payments still to capture or resolve, all tenants (the ledger's count: every instance reports the same). */
  captureBacklog: 'till.captures.backlog',
  /** This process's gateway circuit breaker: 0 closed, 1 half-open, 2 open. */
  breakerState: 'till.gateway.breaker.state',
  /** Requests this process is working on, per shed route (push, capture). */
  loadInFlight: 'till.load.in_flight',
  /** Requests waiting for a slot in this process, per shed route. */
  loadQueued: 'till.load.queued',
} as const;

/** Attribute names. `http.*` are OpenTelemetry semantic conventions; `till.*` are ours. */
export const ATTRIBUTES = {
  statusCode: 'http.response.status_code',
  route: 'http.route',
  outcome: 'till.outcome',
  paymentOutcome: 'till.payment.outcome',
  capturePath: 'till.capture.path',
  shedRoute: 'till.route',
} as const;

export const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

export interface TillInstruments {
  pushes: Counter;
  pushDuration: Histogram;
  tooManyRequests: Counter;
  capturesFinished: Counter;
  captureBacklog: ObservableGauge;
  breakerState: ObservableGauge;
  loadInFlight: ObservableGauge;
  loadQueued: ObservableGauge;
}

/** Push latencies in seconds: a push is tens of milliseconds, a shed one waits up to seconds. */
const PUSH_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

export function createInstruments(meter: Meter): TillInstruments {
  return {
    pushes: meter.createCounter(METRICS.pushes, { description: 'Push requests answered', unit: '{push}' }),
    pushDuration: meter.createHistogram(METRICS.pushDuration, {
      description: 'Time to answer a push, including time queued for a slot',
      unit: 's',
      advice: { explicitBucketBoundaries: PUSH_DURATION_BUCKETS },
    }),
    tooManyRequests: meter.createCounter(METRICS.tooManyRequests, {
      description: 'Requests answered 429 with Retry-After',
      unit: '{request}',
    }),
    capturesFinished: meter.createCounter(METRICS.capturesFinished, {
      description: 'Capture work recorded in the ledger, by the resulting payment state',
      unit: '{payment}',
    }),
    captureBacklog: meter.createObservableGauge(METRICS.captureBacklog, {
      description: 'Card payments still to be captured or resolved (all tenants)',
      unit: '{payment}',
    }),
    breakerState: meter.createObservableGauge(METRICS.breakerState, {
      description: 'Gateway circuit breaker of this process: 0 closed, 1 half-open, 2 open',
      unit: '1',
    }),
    loadInFlight: meter.createObservableGauge(METRICS.loadInFlight, {
      description: 'Requests this process is working on, per shed route',
      unit: '{request}',
    }),
    loadQueued: meter.createObservableGauge(METRICS.loadQueued, {
      description: 'Requests waiting for a slot in this process, per shed route',
      unit: '{request}',
    }),
  };
}
