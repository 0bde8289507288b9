import type { MetaKey, MetaRecord, MetaValues, TillDb } from './till-db.ts';

/** Reads one `meta` value, or undefined when it was never set. */
export async function getMeta<K extends MetaKey>(db: TillDb, key: K): Promise<MetaValues[K] | undefined> {
  const record = await db.meta.get(key);
  return record?.value as MetaValues[K] | undefined;
}

/** Writes one `meta` value. */
export async function setMeta<K extends MetaKey>(db: TillDb, key: K, value: MetaValues[K]): Promise<void> {
  // TypeScript cannot correlate K across the union; `key` and `value` come from one K here.
  await db.meta.put({ key, value } as MetaRecord);
}

/** Removes one `meta` value. */
export async function deleteMeta(db: TillDb, key: MetaKey): Promise<void> {
  await db.meta.delete(key);
}
