import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponse, PROTOCOL_VERSION } from '@till/shared';
import { errorResponses } from '../http-errors.ts';
import { SERVER_VERSION } from '../version.ts';

/** Liveness and readiness for people and load balancers: 200 when the ledger answers, 503 when not. */
const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Is the server up and its database reachable?',
        response: { 200: HealthResponse, 503: HealthResponse, ...errorResponses(500) },
      },
    },
    async (request, reply) => {
      let database: 'ok' | 'failing' = 'ok';
      try {
        await fastify.ledger.ping();
      } catch (error) {
        request.log.error({ err: error }, 'health: database check failed');
        database = 'failing';
      }
      const status = database === 'ok' ? 'ok' : 'degraded';
      return reply.code(status === 'ok' ? 200 : 503).send({
        status,
        version: SERVER_VERSION,
        protocolVersion: PROTOCOL_VERSION,
        time: fastify.now().toISOString(),
        checks: { database },
      });
    },
  );
};

export default healthRoutes;
