import { useEffect } from 'react';
import { useTill } from '../../app/till-context.ts';
import { ensurePersistentStorage } from './storage-persistence.ts';

/** Asks for persistent storage at start, and again once the till is enrolled. */
export function useStoragePersistence(enrolled: boolean): void {
  const { db } = useTill();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `enrolled` re-runs the request on purpose; browsers grant persistence more readily to a site in use.
  useEffect(() => {
    void ensurePersistentStorage(db, navigator.storage);
  }, [db, enrolled]);
}
