import type { ManagerRole, StoreInfo, TaxRate } from '@till/shared';
import { uuidv7 } from '@till/shared';
import { hashEnrollmentCode, newEnrollmentCode } from './credentials.ts';
import { hashPassword, passwordProblem } from './manager/passwords.ts';
import type { ManagerAuthStore } from './store/console/auth-store.ts';
import type { DeviceSummary, LedgerAdmin } from './store/ledger-store.ts';

/**
 * What an operator or manager does outside the till's API: create a tenant and store, hand out
 * enrollment codes, revoke a lost tablet. No HTTP surface yet (the manager console is a later
 * issue); `scripts/till-admin.ts` and the demo call these.
 */

export type NewStore = Omit<StoreInfo, 'id'>;

export async function createTenantAndStore(
  ledger: LedgerAdmin,
  input: { tenantName: string; store: NewStore; taxRates?: TaxRate[] },
  now: Date = new Date(),
): Promise<{ tenantId: string; store: StoreInfo }> {
  const tenantId = uuidv7();
  const store: StoreInfo = { id: uuidv7(), ...input.store };
  const createdAt = now.toISOString();
  await ledger.insertTenant({ id: tenantId, name: input.tenantName, createdAt });
  await ledger.insertStore({ ...store, tenantId, createdAt, taxRates: input.taxRates ?? [] });
  return { tenantId, store };
}

/** Another store of an existing tenant (a second shop). */
export async function createStoreOfTenant(
  ledger: LedgerAdmin,
  tenantId: string,
  input: NewStore,
  now: Date = new Date(),
  taxRates: TaxRate[] = [],
): Promise<{ tenantId: string; store: StoreInfo }> {
  const store: StoreInfo = { id: uuidv7(), ...input };
  await ledger.insertStore({ ...store, tenantId, createdAt: now.toISOString(), taxRates });
  return { tenantId, store };
}

/**
 * A one-time code that enrolls one device into the store, valid `ttlMinutes` from `now`.
 * The plain code is returned here, once; only its hash is stored.
 */
export async function createEnrollmentCode(
  ledger: LedgerAdmin,
  storeId: string,
  ttlMinutes: number,
  now: Date = new Date(),
): Promise<{ code: string; expiresAt: string }> {
  const store = await ledger.findStoreById(storeId);
  if (store === undefined) throw new Error(`No store with id ${storeId}`);
  const code = newEnrollmentCode();
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000).toISOString();
  await ledger.insertEnrollmentCode({
    codeHash: hashEnrollmentCode(code),
    tenantId: store.tenantId,
    storeId,
    createdAt: now.toISOString(),
    expiresAt,
  });
  return { code, expiresAt };
}

/** Revokes a device: its token stops working at once (403 device_revoked). */
export async function revokeDevice(ledger: LedgerAdmin, deviceId: string, now: Date = new Date()): Promise<boolean> {
  return ledger.revokeDevice(deviceId, now.toISOString());
}

export async function listDevices(ledger: LedgerAdmin): Promise<DeviceSummary[]> {
  return ledger.listDevices();
}

/**
 * A manager account of a tenant: an owner (every store) or a manager of some stores. The
 * password is hashed with scrypt here and never stored or logged. Throws on a weak password.
 */
export async function createManagerAccount(
  ledger: ManagerAuthStore,
  input: {
    tenantId: string;
    email: string;
    name: string;
    role: ManagerRole;
    password: string;
    storeIds: string[] | 'all';
  },
  now: Date = new Date(),
): Promise<{ managerId: string }> {
  const problem = passwordProblem(input.password);
  if (problem !== undefined) throw new Error(problem);
  const managerId = uuidv7();
  await ledger.createManager(
    {
      id: managerId,
      tenantId: input.tenantId,
      email: input.email.trim().toLowerCase(),
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      allStores: input.storeIds === 'all',
      storeIds: input.storeIds === 'all' ? [] : input.storeIds,
      now: now.toISOString(),
    },
    null,
  );
  return { managerId };
}
