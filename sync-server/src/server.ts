import { ConfigError, loadConfig } from './config.ts';
import { startTelemetry } from './telemetry/start-telemetry.ts';

// Process entry: read the config, start telemetry, listen, close gracefully (see start.ts).
// Nothing else. Telemetry starts before the app's modules are loaded — its HTTP instrumentation
// hooks `require`, so Fastify must come after it — hence the dynamic import of start.ts.
async function main(): Promise<void> {
  const config = loadConfig();
  const telemetry = await startTelemetry(config.telemetry);
  const { startServer } = await import('./start.ts');
  await startServer(config, { afterClose: () => telemetry.shutdown() });
}

try {
  await main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
