import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiHandler } from './api.ts';
import { createControlHandler } from './control.ts';
import { type FaultSettings, HEALTHY, TokenBucket } from './faults.ts';
import { openSimulatorLedger } from './ledger.ts';

export interface GatewaySimulatorOptions {
  /** API port; 0 picks a free one (kept across `down`/`up`). */
  apiPort: number;
  /** Control port; 0 picks a free one. */
  controlPort: number;
  /** SQLite file of the ledger; created with its folder. */
  dataFile: string;
  host?: string;
  /** The only API key accepted; default: any `sk_test_…` key. */
  apiKey?: string;
  /** How long an idempotency key is remembered; default 24 h, Stripe's documented minimum. */
  idempotencyKeyTtlMs?: number;
  /** Clock for timestamps, key expiry and the rate limiter; default `Date.now`. */
  now?: () => number;
}

export interface GatewaySimulator {
  /** e.g. `http://127.0.0.1:12111` — the base URL for the Stripe SDK. */
  apiUrl: string;
  /** e.g. `http://127.0.0.1:12112` — the `/control/*` endpoints. */
  controlUrl: string;
  close(): Promise<void>;
}

export const DEFAULT_IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Starts a Stripe-compatible gateway (the PaymentIntents subset Till uses) on `apiPort` and its
 * fault control on `controlPort`. `down` closes the API listener and cuts open connections, so
 * callers see ECONNREFUSED; `up` listens again on the same port.
 */
export async function startGatewaySimulator(options: GatewaySimulatorOptions): Promise<GatewaySimulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const ledger = openSimulatorLedger(options.dataFile);
  let fault: FaultSettings = HEALTHY;
  let bucket: TokenBucket | null = null;

  const apiServer = http.createServer(
    createApiHandler({
      ledger,
      now,
      idempotencyKeyTtlMs: options.idempotencyKeyTtlMs ?? DEFAULT_IDEMPOTENCY_KEY_TTL_MS,
      apiKey: options.apiKey,
      faults: () => fault,
      admit: () => bucket?.admit() ?? 0,
      sleep: (ms) => sleep(ms),
    }),
  );
  let apiPort: number;
  try {
    apiPort = await listen(apiServer, options.apiPort, host);
  } catch (error) {
    ledger.close();
    throw error;
  }

  async function setFault(next: FaultSettings): Promise<void> {
    fault = next;
    bucket = next.ratePerSecond === null ? null : new TokenBucket(next.ratePerSecond, next.burst, now);
    if (next.mode === 'down' && apiServer.listening) await stop(apiServer);
    if (next.mode !== 'down' && !apiServer.listening) await listen(apiServer, apiPort, host);
  }

  const controlServer = http.createServer(
    createControlHandler({
      ledger,
      fault: () => fault,
      apiListening: () => apiServer.listening,
      setFault,
      reset: async () => {
        ledger.reset();
        await setFault(HEALTHY);
      },
    }),
  );
  let controlPort: number;
  try {
    controlPort = await listen(controlServer, options.controlPort, host);
  } catch (error) {
    await stop(apiServer);
    ledger.close();
    throw error;
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    apiUrl: `http://${urlHost}:${apiPort}`,
    controlUrl: `http://${urlHost}:${controlPort}`,
    close: async () => {
      await Promise.all([apiServer.listening ? stop(apiServer) : undefined, stop(controlServer)]);
      ledger.close();
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting and cuts every open connection, idle or mid-request. */
function stop(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
