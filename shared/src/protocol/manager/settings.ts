import Type, { type Static } from 'typebox';
import { Currency, NonNegativeMinorUnits, TaxModeSchema, Uuid } from '../common.ts';
import { CardOfflineLimits } from '../store.ts';

export const TaxRate = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    rateBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
  },
  { additionalProperties: false },
);
export type TaxRate = Static<typeof TaxRate>;

/** What an owner may change about a store. Currency and code are fixed once sales exist. */
export const StoreSettings = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    address: Type.String({ maxLength: 300 }),
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    locale: Type.String({ minLength: 2, maxLength: 35 }),
    taxMode: TaxModeSchema,
    taxRates: Type.Array(TaxRate, { maxItems: 20 }),
    cardOfflineLimits: CardOfflineLimits,
  },
  { additionalProperties: false },
);
export type StoreSettings = Static<typeof StoreSettings>;

export const StoreSettingsResponse = Type.Object({
  storeId: Uuid,
  code: Type.String(),
  currency: Currency,
  catalogVersion: Type.Integer(),
  settings: StoreSettings,
});
export type StoreSettingsResponse = Static<typeof StoreSettingsResponse>;

export const ProductInput = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    category: Type.String({ maxLength: 60 }),
    barcodes: Type.Array(Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }), { maxItems: 20 }),
    price: NonNegativeMinorUnits,
    taxRateBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ProductInput = Static<typeof ProductInput>;

export const ManagerProduct = Type.Object({
  id: Uuid,
  sku: Type.String(),
  name: Type.String(),
  category: Type.String(),
  barcodes: Type.Array(Type.String()),
  price: NonNegativeMinorUnits,
  taxRateBp: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type ManagerProduct = Static<typeof ManagerProduct>;

export const ProductsResponse = Type.Object({ catalogVersion: Type.Integer(), products: Type.Array(ManagerProduct) });
export type ProductsResponse = Static<typeof ProductsResponse>;

/**
 * CSV import (MGR-10): header `sku,name,category,price,tax_rate,barcodes,active` (price in major
 * units like 3.50, tax_rate a percentage like 8.25, barcodes separated by `|`, active true/false,
 * optional). All rows are checked first; any bad row → 400 listing every bad row, nothing saved.
 */
export const CatalogImportRequest = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 2_000_000 }) },
  { additionalProperties: false },
);
export type CatalogImportRequest = Static<typeof CatalogImportRequest>;

export const CatalogImportResponse = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  catalogVersion: Type.Integer(),
});
export type CatalogImportResponse = Static<typeof CatalogImportResponse>;
