import type { ApiTarget } from '../api/endpoints.ts';
import { TillDb } from '../db/index.ts';
import { GatewayMonitor } from '../features/card-payments/gateway-monitor.ts';
import { SimulatedTapReader } from '../features/card-reader/simulated-tap-reader.ts';
import { SyncEngine } from '../features/sync/sync-engine.ts';
import { SwUpdater } from '../features/update/sw-updater.ts';
import { APP_VERSION } from './app-version.ts';
import type { TillServices } from './till-context.ts';

/** Wires the services to the browser: same-origin API, real clock, timers and Web Locks. */
export function createBrowserServices(): TillServices {
  const db = new TillDb();
  // `fetch` must be called on the window, not as a method of some other object.
  const browserFetch = (input: string, init?: RequestInit) => globalThis.fetch(input, init);
  const api: ApiTarget = { baseUrl: '', fetch: browserFetch, now: () => Date.now() };
  const engine = new SyncEngine({
    db,
    baseUrl: '',
    fetch: browserFetch,
    now: () => Date.now(),
    random: () => Math.random(),
    setTimer: (callback, ms) => window.setTimeout(callback, ms),
    clearTimer: (handle) => window.clearTimeout(handle as number),
    locks: 'locks' in navigator ? navigator.locks : null,
    appVersion: APP_VERSION,
  });
  // The sync engine's last request is one more witness of whether the server can be reached.
  const monitor = new GatewayMonitor({ now: () => Date.now(), syncContact: () => engine.getSnapshot().lastContact });
  return { db, api, engine, updater: new SwUpdater(), monitor, cardReader: new SimulatedTapReader() };
}
