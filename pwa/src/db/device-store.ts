import type { DeviceRecord, TillDb } from './till-db.ts';

/** This till's enrollment, or null when it has none. */
export async function getDevice(db: TillDb): Promise<DeviceRecord | null> {
  return (await db.device.toCollection().first()) ?? null;
}

/** Stores a fresh enrollment as the only device row. */
export async function saveDevice(db: TillDb, device: DeviceRecord): Promise<void> {
  await db.transaction('rw', db.device, async () => {
    await db.device.clear();
    await db.device.add(device);
  });
}
