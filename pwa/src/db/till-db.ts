import type { DeviceStatus, FlagCode, Product, Sale, SaleStatus, StoreInfo } from '@till/shared';
import { Dexie, type EntityTable } from 'dexie';

/**
 * The till's IndexedDB, and the only place Dexie is used. The `sales` table is the ledger AND
 * the queue of unsent sales: nothing is copied to an outbox, so a sale cannot be in one and not
 * the other. Schema changes add a `this.version(n + 1)`; never edit a version that has shipped.
 */

/** This till's enrollment: who it is and where it sells. There is at most one row. */
export interface DeviceRecord {
  deviceId: string;
  deviceNo: number;
  deviceName: string;
  /** The bearer token from enrollment. */
  token: string;
  tenantName: string;
  store: StoreInfo;
  enrolledAt: string;
}

/** The head of this device's hash chain: the last recorded sale's seq and hash. One row. */
export interface ChainHead {
  key: typeof CHAIN_HEAD_KEY;
  lastSeq: number;
  lastHash: string;
}
export const CHAIN_HEAD_KEY = 'head';

export type SyncState = 'unsent' | 'sent' | 'rejected';

/** A sale as the till keeps it: the immutable sale plus where it is in the sync life. */
export interface LedgerSale extends Sale {
  syncState: SyncState;
  /** When the server acknowledged it (its commit), or null while unsent. */
  sentAt: string | null;
  /** The batch that carried it when it was acknowledged. */
  batchId?: string;
  serverStatus?: SaleStatus;
  serverFlags?: FlagCode[];
  /** Why the server refused it (syncState `rejected`); kept and shown, never deleted (I9). */
  rejectReason?: string;
}

/** A product as the till sells it; inactive products are removed from the table. */
export type CatalogProduct = Product;

/** A batch stored before it is sent, so a retry resends the same id with the same sales. */
export interface PendingBatch {
  batchId: string;
  saleIds: string[];
  createdAt: string;
  /** Sent verbatim on every retry too, so a replay is byte-for-byte the same request. */
  deviceStatus?: DeviceStatus;
}

/** The last failed sync, for the status bar (every tab reads it, only the leader writes it). */
export interface SyncErrorInfo {
  code: string;
  message: string;
  at: string;
}

/** Everything in the key/value `meta` table, by key. */
export interface MetaValues {
  catalogVersion: number;
  pendingBatch: PendingBatch;
  lastSyncAt: string;
  lastSyncError: SyncErrorInfo;
  /** Result of `navigator.storage.persist()`: null when the browser cannot tell. */
  storagePersisted: boolean | null;
}
export type MetaKey = keyof MetaValues;
export type MetaRecord = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];

export class TillDb extends Dexie {
  device!: EntityTable<DeviceRecord, 'deviceId'>;
  chain!: EntityTable<ChainHead, 'key'>;
  sales!: EntityTable<LedgerSale, 'id'>;
  catalog!: EntityTable<CatalogProduct, 'id'>;
  meta!: EntityTable<MetaRecord, 'key'>;

  constructor(name = 'till') {
    // 'strict' durability: Chrome reports a commit only once it is flushed to disk, which is
    // what "durably in IndexedDB before the till shows it complete" (I1) needs.
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      device: 'deviceId',
      chain: 'key',
      sales: 'id, &deviceSeq, [syncState+deviceSeq], createdAt',
      catalog: 'id, category, *barcodes, sku',
      meta: 'key',
    });
  }
}
