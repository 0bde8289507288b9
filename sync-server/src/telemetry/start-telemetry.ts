import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { API_PREFIX } from '@till/shared';
import type { TelemetryConfig } from '../config.ts';
import { SERVER_VERSION } from '../version.ts';

/** The process's telemetry pipeline, once started. */
export interface TelemetryHandle {
  exporter: TelemetryConfig['exporter'];
  /** Exports what is still buffered, then stops. Call after the server has closed. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for this process, before the server's own modules load: the HTTP
 * instrumentation hooks `require`, so Fastify (and `node:http` through it) must be loaded after
 * this has run — `server.ts` imports the app only then. The SDK packages are imported here, on
 * demand, so that with telemetry off none of them is even loaded.
 *
 * - `azure-monitor` (APPLICATIONINSIGHTS_CONNECTION_STRING set): Microsoft's distro,
 *   `useAzureMonitor` — requests, dependencies, live metrics and our metrics to Application
 *   Insights.
 * - `otlp` (OTEL_EXPORTER_OTLP_ENDPOINT set): the OpenTelemetry Node SDK with OTLP/HTTP exporters
 *   for traces and metrics, to any collector.
 * - `off`: nothing is started; the global OpenTelemetry API stays a no-op and the telemetry plugin
 *   registers no hooks.
 *
 * What is recorded is the same either way: server spans per request (named by route template),
 * outgoing HTTP calls, and Till's metrics (`instruments.ts`). No request or response body, no
 * header, no token (I8).
 */
export async function startTelemetry(config: TelemetryConfig): Promise<TelemetryHandle> {
  switch (config.exporter) {
    case 'off':
      return { exporter: 'off', shutdown: async () => {} };
    case 'azure-monitor': {
      const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
      useAzureMonitor(await azureMonitorOptions(config));
      return { exporter: 'azure-monitor', shutdown: async () => void (await shutdownAzureMonitor()) };
    }
    case 'otlp':
      return startOtlp(config);
  }
}

/** What the HTTP instrumentation records: its defaults (method, route, status, no headers). */
export const HTTP_INSTRUMENTATION: HttpInstrumentationConfig = {
  // A till polls /health; the load balancer probes it every minute on every instance. Traces
  // of those are noise; App Service's own health check history shows them.
  ignoreIncomingRequestHook: (request) => request.url?.startsWith(`${API_PREFIX}/health`) === true,
};

/** The options for `useAzureMonitor`: our resource, HTTP and Azure SDK instrumentation only. */
export async function azureMonitorOptions(config: TelemetryConfig): Promise<AzureMonitorOpenTelemetryOptions> {
  const resource = await serviceResource(config);
  return {
    azureMonitorExporterOptions: { connectionString: config.connectionString },
    resource,
    instrumentationOptions: {
      http: { enabled: true, ...HTTP_INSTRUMENTATION },
      // Service Bus and Entra ID calls are traced as dependencies.
      azureSdk: { enabled: true },
      // Databases and loggers Till does not use.
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
    enableLiveMetrics: true,
    enableStandardMetrics: true,
  };
}

/** OTLP/HTTP signal URLs from the base endpoint, as the OTLP exporter specification builds them. */
export function otlpSignalUrl(endpoint: string, signal: 'traces' | 'metrics'): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}

async function startOtlp(config: TelemetryConfig): Promise<TelemetryHandle> {
  const endpoint = config.otlpEndpoint;
  if (endpoint === undefined) throw new Error('telemetry: the otlp exporter needs OTEL_EXPORTER_OTLP_ENDPOINT');
  const [{ NodeSDK, metrics }, { OTLPTraceExporter }, { OTLPMetricExporter }, { HttpInstrumentation }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
    ]);
  const sdk = new NodeSDK({
    resource: await serviceResource(config),
    traceExporter: new OTLPTraceExporter({ url: otlpSignalUrl(endpoint, 'traces') }),
    metricReader: new metrics.PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: otlpSignalUrl(endpoint, 'metrics') }),
      exportIntervalMillis: config.metricExportIntervalMs,
      exportTimeoutMillis: Math.min(30_000, config.metricExportIntervalMs),
    }),
    instrumentations: [new HttpInstrumentation(HTTP_INSTRUMENTATION)],
  });
  sdk.start();
  return { exporter: 'otlp', shutdown: () => sdk.shutdown() };
}

async function serviceResource(config: TelemetryConfig) {
  const [{ resourceFromAttributes }, { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION }] = await Promise.all([
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  return resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: SERVER_VERSION });
}
