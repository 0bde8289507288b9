import type { StoreSettings, StoreSettingsResponse, TaxRate } from '@till/shared';
import type { Kysely } from 'kysely';
import { actorOf, type ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { runInTransaction } from '../../ledger-dialect.ts';
import { insertAudit } from '../audit.ts';
import { changedFields } from './diff.ts';

async function readSettings(db: Kysely<LedgerTables>, scope: ConsoleScope): Promise<StoreSettingsResponse> {
  const row = await db
    .selectFrom('stores')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', scope.storeId)
    .executeTakeFirstOrThrow();
  return {
    storeId: row.id,
    code: row.code,
    currency: row.currency,
    catalogVersion: row.catalog_version,
    settings: {
      name: row.name,
      address: row.address,
      timezone: row.timezone,
      locale: row.locale,
      taxMode: row.tax_mode,
      taxRates: JSON.parse(row.tax_rates) as TaxRate[],
      cardOfflineLimits: {
        maxPerPayment: Number(row.card_max_per_payment),
        maxTotalPerDevice: Number(row.card_max_total_per_device),
        maxAgeMinutes: row.card_max_age_minutes,
      },
    },
  };
}

export function consoleStoreSettings(db: Kysely<LedgerTables>, scope: ConsoleScope): Promise<StoreSettingsResponse> {
  return readSettings(db, scope);
}

/**
 * Writes the store's settings and bumps its catalog version in one transaction with the audit
 * row: a till's next catalog sync (`since` = its version) then carries the new store details
 * (CatalogResponse.store), and its card limits apply from then on (MGR-10). Saving the same
 * settings again changes, bumps and audits nothing.
 */
export async function updateStoreSettings(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  settings: StoreSettings,
  now: string,
): Promise<StoreSettingsResponse> {
  return runInTransaction(db, async (trx) => {
    const before = await readSettings(trx, scope);
    const diff = changedFields(before.settings, settings);
    if (diff === undefined) return before;
    await trx
      .updateTable('stores')
      .set({
        name: settings.name,
        address: settings.address,
        timezone: settings.timezone,
        locale: settings.locale,
        tax_mode: settings.taxMode,
        tax_rates: JSON.stringify(settings.taxRates),
        card_max_per_payment: settings.cardOfflineLimits.maxPerPayment,
        card_max_total_per_device: settings.cardOfflineLimits.maxTotalPerDevice,
        card_max_age_minutes: settings.cardOfflineLimits.maxAgeMinutes,
        catalog_version: before.catalogVersion + 1,
      })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', scope.storeId)
      .execute();
    await insertAudit(trx, actorOf(scope.manager), {
      storeId: scope.storeId,
      action: 'settings.update',
      targetType: 'store',
      targetId: scope.storeId,
      reason: null,
      detail: { ...diff, catalogVersion: before.catalogVersion + 1 },
      at: now,
    });
    return readSettings(trx, scope);
  });
}
