import Type, { type Static } from 'typebox';
import { NonNegativeMinorUnits, Uuid } from './common.ts';
import { StoreInfo } from './store.ts';

export const Product = Type.Object({
  id: Uuid,
  sku: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 120 }),
  category: Type.String({ maxLength: 60 }),
  barcodes: Type.Array(Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }), { maxItems: 20 }),
  price: NonNegativeMinorUnits,
  taxRateBp: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Tax rate in basis points (2000 = 20 %)' }),
  active: Type.Boolean({ description: 'false: removed from sale; the till drops it from its grid' }),
  version: Type.Integer({ minimum: 1, description: 'Catalog version at which this product last changed' }),
});
export type Product = Static<typeof Product>;

export const CatalogQuery = Type.Object(
  {
    since: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Catalog version the till already has; 0 or absent for everything' }),
    ),
  },
  { additionalProperties: false },
);
export type CatalogQuery = Static<typeof CatalogQuery>;

export const CatalogResponse = Type.Object({
  version: Type.Integer({ minimum: 0, description: 'Pass as `since` next time to get only changes' }),
  full: Type.Boolean({ description: 'true: this is the whole catalog, replace what you have' }),
  store: StoreInfo,
  products: Type.Array(Product, { description: 'Changed products (inactive ones included) or all of them' }),
});
export type CatalogResponse = Static<typeof CatalogResponse>;
