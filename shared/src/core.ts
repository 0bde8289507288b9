/**
 * `@till/shared/core` — the contract without its TypeBox schema values: money, sale math, ids,
 * canonical JSON, the hash chain, receipt numbers, the protocol's constants, and every protocol
 * TYPE. For the till, which never validates a schema at run time: importing this entry instead
 * of `@till/shared` keeps TypeBox out of the browser bundle (the schema modules build their
 * schemas when they load, so a bundler cannot drop them). The server uses `@till/shared`.
 */
export * from './canonical-json.ts';
export * from './hash-chain.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './protocol/constants.ts';
export type * from './protocol/index.ts';
export * from './receipt.ts';
export * from './rounding.ts';
export * from './sale-check.ts';
export * from './sale-math.ts';
export * from './store-time.ts';
