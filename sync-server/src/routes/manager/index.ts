import type { FastifyInstance } from 'fastify';
import accountRoutes from './accounts.ts';
import operationsRoutes from './operations/index.ts';
import reconciliationRoutes from './reconciliation/index.ts';
import sessionRoutes from './session.ts';

/**
 * The manager console API (SPEC MGR-*), under `/manager`. Sign-in is open; everything under
 * `/manager/stores/:storeId` first authenticates the session (and CSRF on writes), then checks
 * the manager may see that store — one pair of hooks for every console route, so no route can
 * forget the tenant and store scope (I10).
 */
export default async function managerRoutes(fastify: FastifyInstance): Promise<void> {
  await fastify.register(sessionRoutes);
  // Tenant-level, not store-scoped: each route authenticates itself and scopes to the tenant.
  await fastify.register(accountRoutes);
  await fastify.register(
    async (storeScoped) => {
      storeScoped.addHook('onRequest', storeScoped.authenticateManager);
      storeScoped.addHook('onRequest', storeScoped.scopeConsoleStore);
      await storeScoped.register(reconciliationRoutes);
      await storeScoped.register(operationsRoutes);
    },
    { prefix: '/stores/:storeId' },
  );
}
