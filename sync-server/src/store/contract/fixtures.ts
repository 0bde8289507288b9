import {
  type BatchRow,
  CURRENCY_EXPONENTS,
  defaultCardOfflineLimits,
  type PaymentRow,
  PROTOCOL_VERSION,
  type PushRequest,
  type PushResponse,
  type Sale,
  type SaleRow,
  type StoreInfo,
  uuidv7,
} from '@till/shared';
import { SaleChain } from '../../../test/sales.ts';
import { createEnrollmentCode, createTenantAndStore, type NewStore } from '../../admin.ts';
import { hashEnrollmentCode, newDeviceToken, sha256HexSync } from '../../credentials.ts';
import { prepareBatch } from '../../ingest/prepare-batch.ts';
import type { ConsoleScope } from '../console/types.ts';
import type { DeviceContext, PreparedBatch, PushOutcome } from '../ledger-store.ts';
import type { Ledger } from '../open-ledger.ts';

export { cardOf, payByCard } from '../../../test/sales.ts';

/**
 * Fixtures of the ledger contract suite. They reach the ledger only through its interfaces
 * (never SQL, never HTTP), so the same fixtures drive every implementation; sales are built the
 * way the till builds them, with @till/shared alone, by the same chain the server tests use
 * (`test/sales.ts`).
 */

/** The server's clock at the start of every contract test; tests pass later times explicitly. */
export const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** `T0` plus `seconds`, as the ISO string the ledger stores. */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

/** A store of a tenant, and its owner's console scope (the owner may see every store of the tenant). */
export class ContractShop {
  private constructor(
    readonly ledger: Ledger,
    readonly tenantId: string,
    readonly store: StoreInfo,
    readonly scope: ConsoleScope,
  ) {}

  /** Creates a tenant, its first store (USD, tax exclusive, default card limits) and an owner. */
  static async open(ledger: Ledger, code: string): Promise<ContractShop> {
    const tenantName = `Tenant ${code}`;
    const { tenantId, store } = await createTenantAndStore(ledger, { tenantName, store: newStore(code) }, new Date(T0));
    const manager = {
      id: uuidv7(),
      tenantId,
      email: `owner-${code.toLowerCase()}-${uuidv7()}@contract.test`,
      name: `Owner ${code}`,
      role: 'owner' as const,
    };
    // The contract never signs in: the hash only has to be a string the store keeps.
    await ledger.createManager(
      { ...manager, passwordHash: 'scrypt$not-a-real-hash', allStores: true, storeIds: [], now: at(0) },
      null,
    );
    const scope: ConsoleScope = {
      tenantId,
      storeId: store.id,
      store,
      manager: {
        managerId: manager.id,
        tenantId,
        tenantName,
        email: manager.email,
        name: manager.name,
        role: manager.role,
        allStores: true,
        storeIds: [],
        sessionHash: sha256HexSync(`session-${manager.id}`),
      },
    };
    return new ContractShop(ledger, tenantId, store, scope);
  }

  /** Another store of the same tenant, seen by the same owner. */
  async addStore(code: string): Promise<ContractShop> {
    const store: StoreInfo = { id: uuidv7(), ...newStore(code) };
    await this.ledger.insertStore({ ...store, tenantId: this.tenantId, createdAt: at(0), taxRates: [] });
    return new ContractShop(this.ledger, this.tenantId, store, { ...this.scope, storeId: store.id, store });
  }

  /** Enrolls a device with a fresh one-time code, as `POST /devices/enroll` does. */
  async enroll(name = 'Front till'): Promise<ContractTill> {
    const { code } = await createEnrollmentCode(this.ledger, this.store.id, 60, new Date(T0));
    const tokenHash = sha256HexSync(newDeviceToken());
    const enrolled = await this.ledger.enrollDevice({
      codeHash: hashEnrollmentCode(code),
      deviceId: uuidv7(),
      deviceName: name,
      appVersion: '0.1.0-contract',
      tokenHash,
      now: at(0),
    });
    if (enrolled === undefined) throw new Error('enrollment with a fresh code was refused');
    const device = await this.ledger.findDeviceByTokenHash(tokenHash);
    if (device === undefined) throw new Error('an enrolled device is not found by its token hash');
    return new ContractTill(this.ledger, device, tokenHash);
  }

  /** Every sale of the store the console lists, newest first. */
  sales(): Promise<SaleRow[]> {
    return consoleSalesOf(this.ledger, this.scope);
  }

  batches(): Promise<BatchRow[]> {
    return consoleBatchesOf(this.ledger, this.scope);
  }

  payments(): Promise<PaymentRow[]> {
    return consolePaymentsOf(this.ledger, this.scope);
  }
}

// The console's lists in one page of up to 500 rows, unfiltered: contract tests stay small.

export async function consoleSalesOf(ledger: Ledger, scope: ConsoleScope): Promise<SaleRow[]> {
  const page = await ledger.consoleSales(scope, {
    limit: 500,
    before: undefined,
    range: {},
    receiptNo: undefined,
    deviceId: undefined,
    minTotal: undefined,
    maxTotal: undefined,
    tender: undefined,
    flagged: undefined,
  });
  return page.sales;
}

export async function consoleBatchesOf(ledger: Ledger, scope: ConsoleScope): Promise<BatchRow[]> {
  const page = await ledger.consoleBatches(scope, { limit: 500, before: undefined, range: {}, deviceId: undefined });
  return page.batches;
}

export async function consolePaymentsOf(ledger: Ledger, scope: ConsoleScope): Promise<PaymentRow[]> {
  const page = await ledger.consolePayments(scope, {
    limit: 500,
    before: undefined,
    range: {},
    view: 'all',
    state: undefined,
    deviceId: undefined,
  });
  return page.payments;
}

function newStore(code: string): NewStore {
  return {
    code,
    name: `Shop ${code}`,
    currency: 'USD',
    taxMode: 'exclusive',
    locale: 'en-US',
    timezone: 'America/New_York',
    address: '1 Main Street',
    cardOfflineLimits: defaultCardOfflineLimits(CURRENCY_EXPONENTS.USD),
  };
}

/** One enrolled device and its hash chain, making sales the way the till does. */
export class ContractTill extends SaleChain {
  constructor(
    readonly ledger: Ledger,
    readonly device: DeviceContext,
    readonly tokenHash: string,
  ) {
    super(device);
  }

  get deviceId(): string {
    return this.device.deviceId;
  }

  /** The push as the server prepares it before its transaction (hashes, arithmetic). */
  batch(sales: Sale[], options: { batchId?: string; receivedAt?: string } = {}): Promise<PreparedBatch> {
    const request: PushRequest = { protocolVersion: PROTOCOL_VERSION, batchId: options.batchId ?? uuidv7(), sales };
    return prepareBatch(request, this.device.store, new Date(options.receivedAt ?? at(1)));
  }

  async push(sales: Sale[], options: { batchId?: string; receivedAt?: string } = {}): Promise<PushOutcome> {
    return this.ledger.pushBatch(this.device, await this.batch(sales, options));
  }

  /** Pushes and returns the answer of a push that must be stored (throws on any other outcome). */
  async pushStored(sales: Sale[], options: { batchId?: string; receivedAt?: string } = {}): Promise<PushResponse> {
    return storedAnswer(await this.push(sales, options));
  }

  /** The device as the store sees it now (its `ackedSeq` advances with pushes). */
  async reload(): Promise<DeviceContext> {
    const device = await this.ledger.findDeviceByTokenHash(this.tokenHash);
    if (device === undefined) throw new Error(`device ${this.deviceId} vanished`);
    return device;
  }
}

export function storedAnswer(outcome: PushOutcome): PushResponse {
  if (outcome.kind !== 'stored') throw new Error(`expected the push to be stored, got ${outcome.kind}`);
  return outcome.response;
}
