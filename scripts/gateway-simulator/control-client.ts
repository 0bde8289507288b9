import type { LedgerSnapshot } from './control.ts';
import type { FaultMode, FaultSettings } from './faults.ts';

/** What a test (or a person with curl) sends to `POST /control/fault`. */
export interface FaultRequest {
  mode: FaultMode;
  latencyMs?: number;
  ratePerSecond?: number;
  burst?: number;
  retryAfterSeconds?: number;
}

export interface FaultState {
  fault: FaultSettings;
  apiListening: boolean;
}

/** A typed client for the simulator's control port, for tests and scripts. */
export interface GatewayControl {
  setFault(fault: FaultRequest): Promise<FaultState>;
  fault(): Promise<FaultState>;
  ledger(): Promise<LedgerSnapshot>;
  /** Empties the ledger and sets the gateway `up`. For tests only. */
  reset(): Promise<FaultState>;
}

export function gatewayControl(controlUrl: string): GatewayControl {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  return {
    setFault: (fault) => call('POST', '/control/fault', fault),
    fault: () => call('GET', '/control/fault'),
    ledger: () => call('GET', '/control/ledger'),
    reset: () => call('POST', '/control/reset', {}),
  };
}
