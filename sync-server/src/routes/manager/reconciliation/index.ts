import type { FastifyInstance } from 'fastify';

/** Reconciliation routes under /manager/stores/:storeId (today, reports, shifts, audit, exports). */
export default async function reconciliationRoutes(_fastify: FastifyInstance): Promise<void> {}
