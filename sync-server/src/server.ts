import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './start.ts';

// Process entry: read the config, listen, close gracefully (see start.ts). Nothing else.
try {
  await startServer(loadConfig());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
