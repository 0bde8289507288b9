import { createContext, useContext } from 'react';
import type { ApiTarget } from '../api/endpoints.ts';
import type { TillDb } from '../db/index.ts';
import type { GatewayMonitor } from '../features/card-payments/gateway-monitor.ts';
import type { SimulatedTapReader } from '../features/card-reader/simulated-tap-reader.ts';
import type { SyncEngine } from '../features/sync/sync-engine.ts';
import type { SwUpdater } from '../features/update/sw-updater.ts';

/** The long-lived services the screens use; made once in main.tsx (tests can make their own). */
export interface TillServices {
  db: TillDb;
  api: ApiTarget;
  engine: SyncEngine;
  updater: SwUpdater;
  /** What this tab knows about the card gateway: decides live vs stored without waiting. */
  monitor: GatewayMonitor;
  /** The card reader. The demo's is simulated: the cashier taps a test card on screen. */
  cardReader: SimulatedTapReader;
}

export const TillContext = createContext<TillServices | null>(null);

/** The app's services; only inside <TillContext.Provider>. */
export function useTill(): TillServices {
  const services = useContext(TillContext);
  if (!services) throw new Error('useTill() needs a <TillContext.Provider>');
  return services;
}
