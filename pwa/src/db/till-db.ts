import type {
  CardEntry,
  CurrencyCode,
  DeviceStatus,
  FlagCode,
  PaymentState,
  Product,
  Sale,
  SaleStatus,
  ShiftEvent,
  StoredReason,
  StoreInfo,
} from '@till/shared/core';
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

/**
 * Where a card payment is in its life, as this till knows it. Till-only states:
 * - `attempting`: written BEFORE the live capture request is sent; if the tab dies mid-request
 *   the row is the trace that a charge may exist under this id (I4);
 * - `stored`: store-and-forward, not yet reported on by the server;
 * - `cancelled`: taken off an unfinished sale before any request could have charged it;
 * - `conflict`: the server refused the id (409 `payment_conflict`, or a 400): not a tender.
 * `captured` / `declined` come from a live answer or, like the other server states
 * (`pending`, `unknown`, `quarantined`, `expired`, `written_off`), from the updates feed.
 */
export type CardPaymentState = 'attempting' | 'stored' | 'cancelled' | 'conflict' | PaymentState;

/**
 * Whether a live capture request was made, and what its answer proves:
 * - `none`: no request (stored at once);
 * - `refused`: the server answered that it did not act (503, 429, …): nothing was charged;
 * - `unknown`: sent, no final answer (504, timeout, dropped): a charge may exist;
 * - `answered`: captured or declined.
 */
export type CaptureAttempt = 'none' | 'refused' | 'unknown' | 'answered';

/**
 * One card payment in the payment journal, keyed by the payment id, which is also the gateway
 * idempotency key for the payment's whole life (I4). Holds a gateway token, brand and last 4
 * only — never a card number, expiry or CVV (I8).
 */
export interface CardPaymentRecord {
  id: string;
  saleId: string;
  /** The receipt number the capture request carried (the gateway's description). */
  reference: string;
  amount: number;
  currency: CurrencyCode;
  brand: string;
  last4: string;
  gatewayToken: string;
  state: CardPaymentState;
  /** How it went into the sale (null while attempting, or when it never became a tender). */
  entry: CardEntry | null;
  storedReason: StoredReason | null;
  captureAttempt: CaptureAttempt;
  gatewayRef: string | null;
  declineCode: string | null;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  /** When a stored payment expires uncharged (the till's estimate until the server says). */
  expiresAt: string | null;
  /** Set in the sale's own transaction (I1); null while the sale is not recorded. */
  receiptNo: string | null;
  /** `updatedAt` of the last server update applied, to skip stale ones. */
  serverUpdatedAt: string | null;
  /** When the cashier saw the "declined after forwarding" alert for it. */
  alertSeenAt: string | null;
}

/**
 * A cash-drawer shift as this till keeps it: the fold of its own events, written in the same
 * transaction as each event. At most one is `open` at a time (checked when one is opened).
 */
export interface ShiftRecord {
  id: string;
  status: 'open' | 'closed';
  cashier: string;
  openedAt: string;
  openingFloat: number;
  /** Sum of the cash paid in (positive) and out (negative) outside sales. */
  cashMovements: number;
  closedAt: string | null;
  countedCash: number | null;
  /** What the till expected in the drawer when it closed (float + cash sales + movements). */
  expectedCash: number | null;
  /** Why the count was over or short; '' when it balanced; null while open. */
  reason: string | null;
  /** Sales recorded in the shift, and the chain's last deviceSeq, when it closed. */
  saleCount: number | null;
  lastSeq: number | null;
}

/**
 * `conflict`: the server kept the event aside (its id is known with other content); shown, never resent.
 * `rejected`: the server refused it as malformed (a 400, SHIFT-2); kept with its reason, shown, never resent (I9).
 */
export type ShiftEventSyncState = 'unsent' | 'sent' | 'conflict' | 'rejected';

/** One immutable shift event, as sent; the till's queue of unsent shift events (like `sales`). */
export interface ShiftEventRecord {
  id: string;
  shiftId: string;
  kind: ShiftEvent['kind'];
  at: string;
  event: ShiftEvent;
  syncState: ShiftEventSyncState;
  /** When the server answered it (its commit), or null while unsent. */
  sentAt: string | null;
  /** Why the server refused it (syncState `rejected`); kept and shown, never deleted (I9). */
  rejectReason?: string;
}

/** Everything in the key/value `meta` table, by key. */
export interface MetaValues {
  catalogVersion: number;
  pendingBatch: PendingBatch;
  lastSyncAt: string;
  lastSyncError: SyncErrorInfo;
  /** Result of `navigator.storage.persist()`: null when the browser cannot tell. */
  storagePersisted: boolean | null;
  /** `cursor` of the last payment updates answer applied (`since` of the next request). */
  paymentUpdatesCursor: number;
}
export type MetaKey = keyof MetaValues;
export type MetaRecord = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];

export class TillDb extends Dexie {
  device!: EntityTable<DeviceRecord, 'deviceId'>;
  chain!: EntityTable<ChainHead, 'key'>;
  sales!: EntityTable<LedgerSale, 'id'>;
  catalog!: EntityTable<CatalogProduct, 'id'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  cardPayments!: EntityTable<CardPaymentRecord, 'id'>;
  shifts!: EntityTable<ShiftRecord, 'id'>;
  shiftEvents!: EntityTable<ShiftEventRecord, 'id'>;

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
    // v2: the card payment journal. Only the new table is listed; v1's tables carry over as-is.
    this.version(2).stores({
      cardPayments: 'id, saleId, state, createdAt',
    });
    // v3: cash-drawer shifts and their events (the queue of unsent ones, in `at` order), and
    // the sales of a shift by `shiftId` (expected cash at close). `sales` is listed again only
    // to add that index; its other indexes are as in v1.
    this.version(3).stores({
      sales: 'id, &deviceSeq, [syncState+deviceSeq], createdAt, shiftId',
      shifts: 'id, status, openedAt',
      shiftEvents: 'id, shiftId, [syncState+at]',
    });
  }
}
