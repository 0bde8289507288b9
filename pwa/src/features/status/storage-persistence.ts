import { getMeta, setMeta, type TillDb } from '../../db/index.ts';

/**
 * Asks the browser to keep our storage when space runs low (the ledger lives there), once,
 * and records the answer for the status bar and the server. null: the browser cannot tell.
 */
export async function ensurePersistentStorage(
  db: TillDb,
  storage: StorageManager | undefined,
): Promise<boolean | null> {
  let persisted: boolean | null = null;
  try {
    if (storage?.persisted) persisted = await storage.persisted();
    if (persisted === false && storage?.persist) persisted = await storage.persist();
  } catch {
    persisted = null;
  }
  if ((await getMeta(db, 'storagePersisted')) !== persisted) await setMeta(db, 'storagePersisted', persisted);
  return persisted;
}
