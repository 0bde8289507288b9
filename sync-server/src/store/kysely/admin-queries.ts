import type { Kysely } from 'kysely';
import type { DeviceSummary, LedgerAdmin, ProductInput } from '../ledger-store.ts';
import type { LedgerTables } from '../tables.ts';
import { runInTransaction } from './ledger-dialect.ts';
import { STORE_INFO_COLUMNS, toFlag, toStoreInfo } from './rows.ts';

/** The Kysely side of `LedgerAdmin`; the rules (codes, seeding) live in `admin.ts`. */
export function kyselyLedgerAdmin(db: Kysely<LedgerTables>): LedgerAdmin {
  return {
    async insertTenant(tenant) {
      await db
        .insertInto('tenants')
        .values({ id: tenant.id, name: tenant.name, created_at: tenant.createdAt })
        .execute();
    },

    async insertStore(store) {
      await db
        .insertInto('stores')
        .values({
          id: store.id,
          tenant_id: store.tenantId,
          code: store.code,
          name: store.name,
          currency: store.currency,
          tax_mode: store.taxMode,
          locale: store.locale,
          timezone: store.timezone,
          address: store.address,
          catalog_version: 0,
          created_at: store.createdAt,
          card_max_per_payment: store.cardOfflineLimits.maxPerPayment,
          card_max_total_per_device: store.cardOfflineLimits.maxTotalPerDevice,
          card_max_age_minutes: store.cardOfflineLimits.maxAgeMinutes,
          tax_rates: JSON.stringify(store.taxRates),
        })
        .execute();
    },

    async findStoreByCode(code) {
      const row = await db
        .selectFrom('stores')
        .select([...STORE_INFO_COLUMNS, 'stores.tenant_id'])
        .where('stores.code', '=', code)
        .orderBy('stores.created_at')
        .executeTakeFirst();
      return row === undefined ? undefined : { ...toStoreInfo(row), tenantId: row.tenant_id };
    },

    async findStoreById(storeId) {
      const row = await db
        .selectFrom('stores')
        .select([...STORE_INFO_COLUMNS, 'stores.tenant_id'])
        .where('stores.id', '=', storeId)
        .executeTakeFirst();
      return row === undefined ? undefined : { ...toStoreInfo(row), tenantId: row.tenant_id };
    },

    async insertEnrollmentCode(code) {
      await db
        .insertInto('enrollment_codes')
        .values({
          code_hash: code.codeHash,
          tenant_id: code.tenantId,
          store_id: code.storeId,
          created_at: code.createdAt,
          expires_at: code.expiresAt,
          used_at: null,
          used_by_device_id: null,
        })
        .execute();
    },

    saveProducts: (storeId, products) => saveProducts(db, storeId, products),

    async revokeDevice(deviceId, revokedAt) {
      const device = await db.selectFrom('devices').select('status').where('id', '=', deviceId).executeTakeFirst();
      if (device === undefined) return false;
      if (device.status !== 'revoked') {
        await db
          .updateTable('devices')
          .set({ status: 'revoked', revoked_at: revokedAt })
          .where('id', '=', deviceId)
          .execute();
      }
      return true;
    },

    async listDevices(): Promise<DeviceSummary[]> {
      const rows = await db
        .selectFrom('devices')
        .innerJoin('stores', 'stores.id', 'devices.store_id')
        .select([
          'devices.id',
          'stores.code',
          'devices.device_no',
          'devices.name',
          'devices.status',
          'devices.enrolled_at',
          'devices.last_seen_at',
          'devices.app_version',
          'devices.acked_seq',
          'devices.last_seq',
          'devices.unsent_count',
        ])
        .orderBy('stores.code')
        .orderBy('devices.device_no')
        .execute();
      return rows.map((row) => ({
        deviceId: row.id,
        storeCode: row.code,
        deviceNo: row.device_no,
        name: row.name,
        status: row.status,
        enrolledAt: row.enrolled_at,
        lastSeenAt: row.last_seen_at,
        appVersion: row.app_version,
        ackedSeq: row.acked_seq,
        lastSeq: row.last_seq,
        unsentCount: row.unsent_count,
      }));
    },
  };
}

/** Upserts by SKU at one new catalog version, so a till's `since` sees exactly these changes. */
async function saveProducts(db: Kysely<LedgerTables>, storeId: string, products: ProductInput[]): Promise<number> {
  return runInTransaction(db, async (trx) => {
    const store = await trx
      .selectFrom('stores')
      .select(['tenant_id', 'catalog_version'])
      .where('id', '=', storeId)
      .executeTakeFirstOrThrow();
    const version = store.catalog_version + 1;
    for (const product of products) {
      const columns = {
        name: product.name,
        category: product.category,
        barcodes: JSON.stringify(product.barcodes),
        price: product.price,
        tax_rate_bp: product.taxRateBp,
        active: toFlag(product.active),
        version,
      };
      const updated = await trx
        .updateTable('products')
        .set(columns)
        .where('store_id', '=', storeId)
        .where('sku', '=', product.sku)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        await trx
          .insertInto('products')
          .values({ id: product.id, tenant_id: store.tenant_id, store_id: storeId, sku: product.sku, ...columns })
          .execute();
      }
    }
    await trx.updateTable('stores').set({ catalog_version: version }).where('id', '=', storeId).execute();
    return version;
  });
}
