import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startGatewaySimulator } from './simulator.ts';

/**
 * `tsx scripts/gateway-simulator/main.ts [--api-port N] [--control-port N] [--data-file PATH]
 * [--host H] [--api-key sk_test_…]` — flags win over GATEWAY_SIM_* variables, which win over
 * defaults. Prints one machine-readable line, `GATEWAY_READY {"apiUrl":…,"controlUrl":…,…}`,
 * once both ports listen; stops cleanly on SIGTERM/SIGINT.
 */
const USAGE = `Usage: tsx scripts/gateway-simulator/main.ts [options]
  --api-port N       Stripe-compatible API port   (GATEWAY_SIM_API_PORT, default 12111; 0 = any free)
  --control-port N   fault control port           (GATEWAY_SIM_CONTROL_PORT, default 12112; 0 = any free)
  --data-file PATH   SQLite ledger                (GATEWAY_SIM_DATA_FILE, default $TILL_DATA_DIR/gateway-simulator.sqlite, TILL_DATA_DIR default ./data)
  --host H           interface to listen on       (GATEWAY_SIM_HOST, default 127.0.0.1)
  --api-key KEY      the only accepted secret key (GATEWAY_SIM_API_KEY, default: any sk_test_… key)`;

function main(): void {
  const { values } = parseArgs({
    options: {
      'api-port': { type: 'string' },
      'control-port': { type: 'string' },
      'data-file': { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = process.env;
  const port = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      throw new Error(`${name} must be a port number 0-65535, got ${JSON.stringify(text)}`);
    }
    return value;
  };
  const apiPort = port('api port', values['api-port'] ?? env.GATEWAY_SIM_API_PORT, 12111);
  const controlPort = port('control port', values['control-port'] ?? env.GATEWAY_SIM_CONTROL_PORT, 12112);
  const dataFile = resolve(
    values['data-file'] ??
      env.GATEWAY_SIM_DATA_FILE ??
      resolve(env.TILL_DATA_DIR ?? './data', 'gateway-simulator.sqlite'),
  );
  const host = values.host ?? env.GATEWAY_SIM_HOST ?? '127.0.0.1';
  const apiKey = values['api-key'] ?? env.GATEWAY_SIM_API_KEY;

  startGatewaySimulator({ apiPort, controlPort, dataFile, host, ...(apiKey ? { apiKey } : {}) }).then(
    (simulator) => {
      console.log(
        `GATEWAY_READY ${JSON.stringify({ apiUrl: simulator.apiUrl, controlUrl: simulator.controlUrl, dataFile, pid: process.pid })}`,
      );
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        simulator.close().then(
          () => {
            console.log(`gateway simulator stopped (${signal}); ledger in ${dirname(dataFile)}`);
            process.exit(0);
          },
          (error: unknown) => {
            console.error('gateway simulator failed to stop cleanly:', error);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (error: unknown) => {
      console.error(`gateway simulator could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(USAGE);
  process.exit(2);
}
