import type { FastifyInstance } from 'fastify';
import catalogRoutes from './catalog.ts';
import deviceRoutes from './devices.ts';
import healthRoutes from './health.ts';
import managerRoutes from './manager/index.ts';
import paymentRoutes from './payments.ts';
import syncRoutes from './sync.ts';
import syncShiftRoutes from './sync-shifts.ts';

/** The versioned API, one plugin per resource; registered under API_PREFIX by the app. */
export default async function apiRoutes(fastify: FastifyInstance): Promise<void> {
  await fastify.register(healthRoutes);
  await fastify.register(deviceRoutes);
  await fastify.register(catalogRoutes);
  await fastify.register(syncRoutes);
  await fastify.register(syncShiftRoutes);
  await fastify.register(paymentRoutes);
  await fastify.register(managerRoutes, { prefix: '/manager' });
}
