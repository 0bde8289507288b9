import type { StoreInfo } from '@till/shared';
import type { Selectable } from 'kysely';
import type { StoresTable } from '../tables.ts';

/** The columns of `stores` that make a StoreInfo; select these, then map with `toStoreInfo`. */
export const STORE_INFO_COLUMNS = [
  'stores.id',
  'stores.code',
  'stores.name',
  'stores.currency',
  'stores.tax_mode',
  'stores.locale',
  'stores.timezone',
  'stores.address',
  'stores.card_max_per_payment',
  'stores.card_max_total_per_device',
  'stores.card_max_age_minutes',
] as const;

type StoreInfoRow = Pick<
  Selectable<StoresTable>,
  | 'id'
  | 'code'
  | 'name'
  | 'currency'
  | 'tax_mode'
  | 'locale'
  | 'timezone'
  | 'address'
  | 'card_max_per_payment'
  | 'card_max_total_per_device'
  | 'card_max_age_minutes'
>;

export function toStoreInfo(row: StoreInfoRow): StoreInfo {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    currency: row.currency,
    taxMode: row.tax_mode,
    locale: row.locale,
    timezone: row.timezone,
    address: row.address,
    cardOfflineLimits: {
      // bigint columns come back as numbers from better-sqlite3 and tedious alike (< 2^53).
      maxPerPayment: Number(row.card_max_per_payment),
      maxTotalPerDevice: Number(row.card_max_total_per_device),
      maxAgeMinutes: row.card_max_age_minutes,
    },
  };
}

/** Booleans are 0/1 integers in every dialect we target. */
export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}
