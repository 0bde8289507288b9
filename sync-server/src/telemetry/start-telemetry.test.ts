import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { azureMonitorOptions, otlpSignalUrl, startTelemetry } from './start-telemetry.ts';

const CONNECTION_STRING =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

describe('telemetry settings', () => {
  it('[config] neither set: telemetry off; a connection string picks Azure Monitor, before an OTLP endpoint', () => {
    expect(loadConfig({}).telemetry).toEqual({
      exporter: 'off',
      connectionString: undefined,
      otlpEndpoint: undefined,
      serviceName: 'till-sync-server',
      metricExportIntervalMs: 60_000,
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).telemetry).toMatchObject({
      exporter: 'otlp',
      otlpEndpoint: 'http://127.0.0.1:4318',
    });
    expect(
      loadConfig({
        APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SERVICE_NAME: 'till-westeurope',
        OTEL_METRIC_EXPORT_INTERVAL: '15000',
      }).telemetry,
    ).toMatchObject({
      exporter: 'azure-monitor',
      connectionString: CONNECTION_STRING,
      serviceName: 'till-westeurope',
      metricExportIntervalMs: 15_000,
    });
  });

  it('[config] a malformed connection string or endpoint is refused, and the connection string is not echoed', () => {
    try {
      loadConfig({
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'secret-looking-value',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message } = error as ConfigError;
      expect(problems).toHaveLength(2);
      expect(message).not.toContain('secret-looking-value');
      expect(message).toContain('OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL');
    }
  });
});

describe('starting telemetry', () => {
  it('[telemetry] off starts nothing and shuts down at once', async () => {
    const handle = await startTelemetry(loadConfig({}).telemetry);
    expect(handle.exporter).toBe('off');
    await handle.shutdown();
  });

  it('[telemetry] Azure Monitor gets the connection string, our service name, HTTP and Azure SDK instrumentation only', async () => {
    const config = loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING }).telemetry;
    const options = await azureMonitorOptions(config);
    expect(options.azureMonitorExporterOptions?.connectionString).toBe(CONNECTION_STRING);
    expect(options.resource?.attributes['service.name']).toBe('till-sync-server');
    const enabled = Object.entries(options.instrumentationOptions ?? {})
      .filter(([, setting]) => setting?.enabled)
      .map(([name]) => name);
    expect(enabled.sort()).toEqual(['azureSdk', 'http']);
    expect(options.enableLiveMetrics).toBe(true);
  });

  it('[telemetry] OTLP signal URLs are the base endpoint plus /v1/<signal>', () => {
    expect(otlpSignalUrl('http://collector:4318', 'traces')).toBe('http://collector:4318/v1/traces');
    expect(otlpSignalUrl('https://otel.example/otlp/', 'metrics')).toBe('https://otel.example/otlp/v1/metrics');
  });
});
