import type { FastifyInstance } from 'fastify';
import batchRoutes from './batches.ts';
import deviceRoutes from './devices.ts';
import paymentRoutes from './payments.ts';
import productRoutes from './products.ts';
import saleRoutes from './sales.ts';
import sequenceIssueRoutes from './sequence-issues.ts';
import settingsRoutes from './settings.ts';

/**
 * Operational routes under /manager/stores/:storeId (devices, batches, sales, payments, settings,
 * products). The parent has already authenticated the session, checked CSRF on writes and the
 * store scope (I10); each handler reads the scope with `consoleScopeOf(request)`.
 */
export default async function operationsRoutes(fastify: FastifyInstance): Promise<void> {
  await fastify.register(deviceRoutes);
  await fastify.register(batchRoutes);
  await fastify.register(saleRoutes);
  await fastify.register(paymentRoutes);
  await fastify.register(settingsRoutes);
  await fastify.register(productRoutes);
  await fastify.register(sequenceIssueRoutes);
}
