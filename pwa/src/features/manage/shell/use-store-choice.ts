import type { ManagerSession, ManagerStore } from '@till/shared/core';
import { useCallback, useState } from 'react';

const STORAGE_KEY = 'till.manage.storeId';

function remembered(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The store being looked at: the one picked last on this browser if the manager may still see
 * it, else their first. Remembered in localStorage (an id, nothing else).
 */
export function useStoreChoice(session: ManagerSession): [ManagerStore | null, (storeId: string) => void] {
  const [chosenId, setChosenId] = useState<string | null>(remembered);
  const store = session.stores.find((candidate) => candidate.id === chosenId) ?? session.stores[0] ?? null;
  const choose = useCallback((storeId: string) => {
    setChosenId(storeId);
    try {
      localStorage.setItem(STORAGE_KEY, storeId);
    } catch {
      // Private mode: the choice lasts as long as the page.
    }
  }, []);
  return [store, choose];
}
