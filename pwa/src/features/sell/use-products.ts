import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { type CatalogProduct, listProducts } from '../../db/index.ts';

/** The catalog on sale, live from IndexedDB; undefined while loading. */
export function useProducts(): CatalogProduct[] | undefined {
  const { db } = useTill();
  return useLiveQuery(() => listProducts(db), [db]);
}
