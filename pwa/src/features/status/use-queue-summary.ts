import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { type QueueSummary, summariseQueue } from '../../db/index.ts';

const EMPTY: QueueSummary = { unsentCount: 0, oldestUnsentAt: null, rejectedCount: 0 };

/** Unsent and rejected sales, live from IndexedDB (any tab's writes show up). */
export function useQueueSummary(): QueueSummary {
  const { db } = useTill();
  return useLiveQuery(() => summariseQueue(db), [db], EMPTY);
}
