/**
 * @till/shared — the contract between till and server. Platform-free: no DOM, Node, Dexie or
 * Fastify imports, so both sides run exactly this code.
 */
export * from './canonical-json.ts';
export * from './hash-chain.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './protocol/index.ts';
export * from './receipt.ts';
export * from './rounding.ts';
export * from './sale-check.ts';
export * from './sale-math.ts';
export * from './store-time.ts';
