import type { Kysely } from 'kysely';
import type { EnrollDeviceInput, EnrolledDevice } from '../ledger-store.ts';
import type { LedgerTables } from '../tables.ts';
import { ledgerDialectOf, runInTransaction } from './ledger-dialect.ts';
import { STORE_INFO_COLUMNS, toStoreInfo } from './rows.ts';

/**
 * Spends the code and creates the device in one (immediate) transaction: two tills racing
 * with the same code cannot both enroll, and the device number is never handed out twice.
 */
export async function enrollDevice(
  db: Kysely<LedgerTables>,
  input: EnrollDeviceInput,
): Promise<EnrolledDevice | undefined> {
  return runInTransaction(db, async (trx) => {
    const code = await trx
      .selectFrom(ledgerDialectOf(db).lockedTable('enrollment_codes', 'update'))
      .select(['tenant_id', 'store_id', 'expires_at', 'used_at', 'used_by_device_id'])
      .where('code_hash', '=', input.codeHash)
      .executeTakeFirst();
    // Spent by this very enrollment: a run whose commit was not acknowledged (Azure SQL runs
    // the transaction again) — answer with the device it made, not "code invalid".
    if (code !== undefined && code.used_by_device_id === input.deviceId) {
      const made = await trx
        .selectFrom('devices')
        .select('device_no')
        .where('id', '=', input.deviceId)
        .executeTakeFirstOrThrow();
      return enrolled(trx, input, code.store_id, made.device_no);
    }
    if (code === undefined || code.used_at !== null || code.expires_at <= input.now) return undefined;

    const last = await trx
      .selectFrom('devices')
      .select((eb) => eb.fn.max('device_no').as('device_no'))
      .where('store_id', '=', code.store_id)
      .executeTakeFirst();
    const deviceNo = (last?.device_no ?? 0) + 1;

    await trx
      .insertInto('devices')
      .values({
        id: input.deviceId,
        tenant_id: code.tenant_id,
        store_id: code.store_id,
        device_no: deviceNo,
        name: input.deviceName,
        token_hash: input.tokenHash,
        status: 'active',
        enrolled_at: input.now,
        app_version: input.appVersion,
        acked_seq: 0,
        last_seq: 0,
        arrival_count: 0,
      })
      .execute();
    const spent = await trx
      .updateTable('enrollment_codes')
      .set({ used_at: input.now, used_by_device_id: input.deviceId })
      .where('code_hash', '=', input.codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    // The immediate transaction already excludes a race; this keeps the rule explicit.
    if (spent.numUpdatedRows !== 1n) throw new Error('enrollment code was spent concurrently');
    return enrolled(trx, input, code.store_id, deviceNo);
  });
}

async function enrolled(
  trx: Kysely<LedgerTables>,
  input: EnrollDeviceInput,
  storeId: string,
  deviceNo: number,
): Promise<EnrolledDevice> {
  const store = await trx
    .selectFrom('stores')
    .innerJoin('tenants', 'tenants.id', 'stores.tenant_id')
    .select([...STORE_INFO_COLUMNS, 'tenants.name as tenant_name'])
    .where('stores.id', '=', storeId)
    .executeTakeFirstOrThrow();
  return {
    deviceId: input.deviceId,
    deviceNo,
    deviceName: input.deviceName,
    tenantName: store.tenant_name,
    store: toStoreInfo(store),
  };
}
