import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerSnapshot } from '../../scripts/gateway-simulator/control.ts';
import { type GatewayControl, gatewayControl } from '../../scripts/gateway-simulator/control-client.ts';
import { startGatewaySimulator } from '../../scripts/gateway-simulator/simulator.ts';

/** The gateway simulator in this process (a real HTTP server with its own SQLite ledger). */
export interface TestGateway {
  apiUrl: string;
  control: GatewayControl;
  /** Charges (PaymentIntents created) per idempotency key, and succeeded ones per payment id. */
  ledger(): Promise<LedgerSnapshot>;
  close(): Promise<void>;
}

export async function startTestGateway(): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'till-sim-'));
  const simulator = await startGatewaySimulator({ apiPort: 0, controlPort: 0, dataFile: join(dir, 'sim.sqlite') });
  const control = gatewayControl(simulator.controlUrl);
  return {
    apiUrl: simulator.apiUrl,
    control,
    ledger: () => control.ledger(),
    async close() {
      await simulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server settings that point it at a test gateway. */
export function gatewayEnv(gateway: { apiUrl: string }, env: Record<string, string> = {}): Record<string, string> {
  return { GATEWAY_URL: gateway.apiUrl, GATEWAY_API_KEY: 'sk_test_till_tests', GATEWAY_TIMEOUT_MS: '1000', ...env };
}
