import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { getMeta, type MetaKey, type MetaValues } from '../../db/index.ts';

/** One `meta` value, live; undefined while loading or when never set. */
export function useMetaValue<K extends MetaKey>(key: K): MetaValues[K] | undefined {
  const { db } = useTill();
  return useLiveQuery(() => getMeta(db, key), [db, key]);
}
