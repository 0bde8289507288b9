import type { FastifyInstance } from 'fastify';
import auditRoutes from './audit.ts';
import exportRoutes from './exports.ts';
import reportRoutes from './reports.ts';
import shiftRoutes from './shifts.ts';
import todayRoutes from './today.ts';

/**
 * Reconciliation routes under /manager/stores/:storeId: today, the day report, shifts, audit,
 * exports. The parent registers them behind the session and store-scope hooks, so each reads
 * only `consoleScopeOf(request)` — the checked tenant and store (MGR-5, I10).
 */
export default async function reconciliationRoutes(fastify: FastifyInstance): Promise<void> {
  await fastify.register(todayRoutes);
  await fastify.register(reportRoutes);
  await fastify.register(shiftRoutes);
  await fastify.register(auditRoutes);
  await fastify.register(exportRoutes);
}
