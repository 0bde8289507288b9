import type {
  CatalogResponse,
  FlagCode,
  PushRequest,
  PushResponse,
  Sale,
  ShiftEvent,
  ShiftEventResult,
  StoreInfo,
  TaxRate,
} from '@till/shared';

/**
 * What the routes need from the ledger, whatever database holds it. Every call is scoped by
 * the tenant and store the server derived from the device's credential (I10), never by ids
 * from a request body.
 */
export interface LedgerStore {
  /** A trivial query; throws when the database cannot answer. */
  ping(): Promise<void>;
  /**
   * Spends a one-time enrollment code and registers a device, in one transaction. Returns
   * undefined when the code is unknown, used or expired (the caller cannot tell which).
   */
  enrollDevice(input: EnrollDeviceInput): Promise<EnrolledDevice | undefined>;
  /** The device holding a token, by the token's SHA-256; revoked devices are returned too. */
  findDeviceByTokenHash(tokenHash: string): Promise<DeviceContext | undefined>;
  /** Full catalog (`since` 0) or the products changed after version `since`. */
  getCatalog(scope: StoreScope, since: number): Promise<CatalogResponse>;
  /** Ingests one push in one transaction; see `kysely/push-batch.ts` for the exact rules. */
  pushBatch(device: DeviceContext, batch: PreparedBatch): Promise<PushOutcome>;
  /**
   * Ingests a till's shift events in one transaction and answers each, in the order sent:
   * new, duplicate or conflict (SHIFT-2); see `kysely/shift-events.ts` for the exact rules.
   */
  pushShiftEvents(
    device: DeviceContext,
    events: readonly ShiftEvent[],
    receivedAt: string,
  ): Promise<ShiftEventResult[]>;
  /** Releases the database; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** The operations of `admin.ts` (demo seed, enrollment codes, revocation); no HTTP API yet. */
export interface LedgerAdmin {
  insertTenant(tenant: { id: string; name: string; createdAt: string }): Promise<void>;
  insertStore(store: StoreInfo & { tenantId: string; createdAt: string; taxRates: TaxRate[] }): Promise<void>;
  findStoreByCode(code: string): Promise<(StoreInfo & { tenantId: string }) | undefined>;
  findStoreById(storeId: string): Promise<(StoreInfo & { tenantId: string }) | undefined>;
  insertEnrollmentCode(code: {
    codeHash: string;
    tenantId: string;
    storeId: string;
    createdAt: string;
    expiresAt: string;
  }): Promise<void>;
  /** Inserts or updates products by SKU at a new catalog version; returns that version. */
  saveProducts(storeId: string, products: ProductInput[]): Promise<number>;
  /** Marks a device revoked; false when no such device exists. Idempotent. */
  revokeDevice(deviceId: string, revokedAt: string): Promise<boolean>;
  listDevices(): Promise<DeviceSummary[]>;
}

export interface StoreScope {
  tenantId: string;
  storeId: string;
}

/** The calling device, as authenticated from its bearer token. */
export interface DeviceContext extends StoreScope {
  deviceId: string;
  deviceNo: number;
  deviceName: string;
  status: 'active' | 'revoked';
  ackedSeq: number;
  store: StoreInfo;
}

export interface EnrollDeviceInput {
  codeHash: string;
  deviceId: string;
  deviceName: string;
  appVersion: string;
  tokenHash: string;
  now: string;
}

export interface EnrolledDevice {
  deviceId: string;
  deviceNo: number;
  deviceName: string;
  tenantName: string;
  store: StoreInfo;
}

/** A sale checked for everything that needs no database (done before the transaction). */
export interface PreparedSale {
  sale: Sale;
  /** Canonical JSON of the sale as received; stored verbatim. */
  payload: string;
  payloadHash: string;
  /** Whether `hash` is the chain hash of the sale's content. */
  hashValid: boolean;
  /** From `checkSaleArithmetic`: totals, tenders, currency. */
  arithmeticFlags: FlagCode[];
}

export interface PreparedBatch {
  request: PushRequest;
  /** SHA-256 of the canonical JSON of { protocolVersion, batchId, sales } (see batchContentHash). */
  requestHash: string;
  sales: PreparedSale[];
  receivedAt: string;
}

export type PushOutcome =
  | { kind: 'stored'; response: PushResponse }
  | { kind: 'replayed'; response: PushResponse }
  | { kind: 'batch_id_reused' }
  | { kind: 'device_revoked' };

export interface ProductInput {
  id: string;
  sku: string;
  name: string;
  category: string;
  barcodes: string[];
  price: number;
  taxRateBp: number;
  active: boolean;
}

export interface DeviceSummary {
  deviceId: string;
  storeCode: string;
  deviceNo: number;
  name: string;
  status: 'active' | 'revoked';
  enrolledAt: string;
  lastSeenAt: string | null;
  appVersion: string;
  ackedSeq: number;
  lastSeq: number;
  unsentCount: number | null;
}
