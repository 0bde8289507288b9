import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { type StoredCardsSummary, summariseStoredCards } from '../../db/index.ts';

const NONE: StoredCardsSummary = { count: 0, total: 0, soonestExpiresAt: null };

/** Stored, unsettled card payments on this till, live from IndexedDB (any tab's writes show). */
export function useStoredCards(): StoredCardsSummary {
  const { db } = useTill();
  return useLiveQuery(() => summariseStoredCards(db), [db], NONE);
}
