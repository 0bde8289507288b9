import type { FastifyInstance } from 'fastify';

/** Operational routes under /manager/stores/:storeId (devices, batches, sales, payments, settings, products). */
export default async function operationsRoutes(_fastify: FastifyInstance): Promise<void> {}
