import type { Kysely } from 'kysely';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';

/** A device of the store with what the reconciliation reads about it. */
export interface StoreDevice {
  id: string;
  deviceNo: number;
  name: string;
  status: 'active' | 'revoked';
  lastSeenAt: string | null;
  enrolledAt: string;
  unsentCount: number | null;
  /** null: never reported (or the browser cannot tell). */
  storagePersisted: boolean | null;
}

/** Every device of the scope's store, by number. */
export async function storeDevices(db: Kysely<LedgerTables>, scope: ConsoleScope): Promise<StoreDevice[]> {
  const rows = await db
    .selectFrom('devices')
    .select(['id', 'device_no', 'name', 'status', 'last_seen_at', 'enrolled_at', 'unsent_count', 'storage_persisted'])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId)
    .orderBy('device_no')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    deviceNo: row.device_no,
    name: row.name,
    status: row.status,
    lastSeenAt: row.last_seen_at,
    enrolledAt: row.enrolled_at,
    unsentCount: row.unsent_count === null ? null : Number(row.unsent_count),
    storagePersisted: row.storage_persisted === null ? null : row.storage_persisted === 1,
  }));
}
