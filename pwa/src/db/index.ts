export * from './card-journal.ts';
export * from './catalog-store.ts';
export * from './device-store.ts';
export * from './ledger.ts';
export * from './meta.ts';
export * from './record-sale.ts';
export * from './shifts.ts';
export * from './till-db.ts';
