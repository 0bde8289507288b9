import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { getOpenShift, type ShiftRecord } from '../../db/index.ts';

/** The till's open shift, live from IndexedDB (any tab's writes show up): null when none, undefined while loading. */
export function useOpenShift(): ShiftRecord | null | undefined {
  const { db } = useTill();
  return useLiveQuery(async () => (await getOpenShift(db)) ?? null, [db]);
}
