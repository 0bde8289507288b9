import type {
  BatchDetail,
  BatchesResponse,
  CatalogImportResponse,
  ManagerDevice,
  ManagerProduct,
  PaymentAction,
  PaymentActionResponse,
  PaymentState,
  PaymentsResponse,
  PaymentView,
  ProductsResponse,
  SaleDetail,
  SalesResponse,
  SequenceIssueRow,
  StoreSettings,
  StoreSettingsResponse,
} from '@till/shared';
import type { ConsoleScope, InstantRange } from './types.ts';

/**
 * The console's operational reads and actions: devices, batches, sales, payments and their
 * actions, settings, products. Every method takes a ConsoleScope and never reaches outside it
 * (I10); every change writes its audit row in its own transaction (MGR-8). Implemented in
 * ../kysely/console/operations/.
 */
export interface OperationsStore {
  /** The store's devices by number; `silent` = active and not heard from since `silentSince` (or never). */
  consoleDevices(scope: ConsoleScope, silentSince: string): Promise<ManagerDevice[]>;
  /** Stores an enrollment code's hash for the store, audited `device.enrollment_code` (expiry only). */
  createConsoleEnrollmentCode(
    scope: ConsoleScope,
    code: { codeHash: string; expiresAt: string; now: string },
  ): Promise<void>;
  /**
   * Revokes a device of the store, audited `device.revoke` with the reason; revoking a revoked
   * device changes (and audits) nothing. Undefined when the device is not in the scope.
   */
  revokeConsoleDevice(
    scope: ConsoleScope,
    input: { deviceId: string; reason: string; now: string; silentSince: string },
  ): Promise<ManagerDevice | undefined>;

  /** Batches newest first (received_at, id), a page at a time. */
  consoleBatches(scope: ConsoleScope, filter: BatchFilter): Promise<BatchesResponse>;
  consoleBatch(scope: ConsoleScope, batchId: string): Promise<BatchDetail | undefined>;

  /** Sales newest first (created_at, id), a page at a time. */
  consoleSales(scope: ConsoleScope, filter: SaleFilter): Promise<SalesResponse>;
  consoleSale(scope: ConsoleScope, saleId: string): Promise<SaleDetail | undefined>;

  /** Card payments newest first (created_at, id), a page at a time, with the store's counts by state. */
  consolePayments(scope: ConsoleScope, filter: PaymentFilter): Promise<PaymentsResponse>;
  /**
   * One manager action on one payment (MGR-7), in its own transaction with its audit row; the
   * rules are in ../kysely/console/operations/payment-actions.ts.
   */
  actOnPayment(scope: ConsoleScope, input: PaymentActionInput): Promise<PaymentActionResult>;

  consoleStoreSettings(scope: ConsoleScope): Promise<StoreSettingsResponse>;
  /** Writes the settings, bumps the catalog version (tills pick it up, MGR-10), audits before/after. */
  updateStoreSettings(scope: ConsoleScope, settings: StoreSettings, now: string): Promise<StoreSettingsResponse>;

  /** Every product of the store, inactive ones included. */
  consoleProducts(scope: ConsoleScope): Promise<ProductsResponse>;
  createConsoleProduct(scope: ConsoleScope, product: NewProduct, now: string): Promise<ProductChange>;
  updateConsoleProduct(
    scope: ConsoleScope,
    productId: string,
    product: ProductFields,
    now: string,
  ): Promise<ProductChange | { kind: 'not_found' }>;
  /** Upserts by SKU at one new catalog version, one transaction, one audit row `catalog.import`. */
  importConsoleProducts(scope: ConsoleScope, rows: ImportedProduct[], now: string): Promise<CatalogImportResponse>;

  /** The store's sequence problems, oldest first (open: neither resolved nor acknowledged). */
  consoleSequenceIssues(scope: ConsoleScope, view: 'open' | 'all'): Promise<SequenceIssueRow[]>;
  /** Acknowledges one (MGR-13), audited; undefined when it is not in the scope. */
  acknowledgeSequenceIssue(
    scope: ConsoleScope,
    input: { issueId: string; reason: string; now: string },
  ): Promise<SequenceIssueRow | undefined>;
}

/** A keyset page: `before` is a decoded cursor; rows strictly older than it are returned. */
export interface PageFilter {
  limit: number;
  before: PageCursor | undefined;
}

/** The sort key of the last row of a page: its timestamp (received_at or created_at) and id. */
export interface PageCursor {
  at: string;
  id: string;
}

export interface BatchFilter extends PageFilter {
  range: Partial<InstantRange>;
  deviceId: string | undefined;
}

export interface SaleFilter extends PageFilter {
  range: Partial<InstantRange>;
  receiptNo: string | undefined;
  deviceId: string | undefined;
  minTotal: number | undefined;
  maxTotal: number | undefined;
  tender: 'cash' | 'card' | undefined;
  flagged: boolean | undefined;
}

export interface PaymentFilter extends PageFilter {
  /** On the time of the payment's sale, or of the payment itself when no sale carries it. */
  range: Partial<InstantRange>;
  view: PaymentView;
  state: PaymentState | undefined;
  deviceId: string | undefined;
}

export interface PaymentActionInput {
  action: PaymentAction;
  paymentId: string;
  /** Required for write_off and resolve_paid_elsewhere (the route checks it). */
  reason: string | null;
  now: string;
}

export type PaymentActionResult = PaymentActionResponse['results'][number];

export interface ProductFields {
  sku: string;
  name: string;
  category: string;
  barcodes: string[];
  price: number;
  taxRateBp: number;
  active: boolean;
}

export interface NewProduct extends ProductFields {
  id: string;
}

/** A CSV row: `active` undefined keeps an existing product's flag (a new product is active). */
export type ImportedProduct = Omit<ProductFields, 'active'> & { active: boolean | undefined };

export type ProductChange =
  | { kind: 'saved'; product: ManagerProduct }
  /** Another product of the store has this SKU. */
  | { kind: 'sku_taken' };

const CURSOR_PATTERN = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))\|([0-9a-f-]{36})$/;

/** `nextBefore` of a page: the sort key of its last row. Opaque to clients; under 80 characters. */
export function encodeCursor(cursor: PageCursor): string {
  return `${cursor.at}|${cursor.id}`;
}

/** A `before` parameter back into a cursor; undefined when it is not one we made. */
export function decodeCursor(text: string): PageCursor | undefined {
  const match = CURSOR_PATTERN.exec(text);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { at: match[1], id: match[2] };
}
