import { useCallback, useSyncExternalStore } from 'react';
import { useTill } from '../../app/till-context.ts';
import type { SyncSnapshot } from './sync-engine.ts';

/** This tab's sync engine state (leader, phase, last error), live. */
export function useSyncSnapshot(): SyncSnapshot {
  const { engine } = useTill();
  const subscribe = useCallback((listener: () => void) => engine.subscribe(listener), [engine]);
  const getSnapshot = useCallback(() => engine.getSnapshot(), [engine]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
