import { useSyncExternalStore } from 'react';
import { useTill } from '../../app/till-context.ts';
import type { UpdateState } from './sw-updater.ts';

/** Whether a new app version waits to take over. */
export function useUpdateState(): UpdateState {
  const { updater } = useTill();
  return useSyncExternalStore(updater.subscribe, updater.getState);
}
