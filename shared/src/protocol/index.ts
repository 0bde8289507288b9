export * from './catalog.ts';
export * from './common.ts';
export * from './manager/index.ts';
export * from './payments.ts';
export * from './sale.ts';
export * from './shift.ts';
export * from './store.ts';
export * from './sync.ts';
