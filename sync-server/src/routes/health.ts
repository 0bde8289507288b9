import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type GatewayHealth, HealthResponse, PROTOCOL_VERSION } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../http-errors.ts';
import { SERVER_VERSION } from '../version.ts';

/**
 * Liveness and readiness for people and load balancers: 200 when the ledger answers, 503 when
 * not. An open gateway circuit makes the status `degraded` but stays 200: the server still takes
 * sales and stores card payments, so a load balancer must keep sending tills to it.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Is the server up, its database reachable, its payment gateway answering?',
        response: { 200: HealthResponse, 503: HealthResponse, ...errorResponses(500) },
      },
    },
    async (request, reply) => {
      let database: 'ok' | 'failing' = 'ok';
      let gateway: GatewayHealth | undefined;
      try {
        await fastify.ledger.ping();
        gateway = await gatewayHealth(fastify);
      } catch (error) {
        request.log.error({ err: error }, 'health: database check failed');
        database = 'failing';
      }
      const status = database === 'ok' && gateway?.breaker !== 'open' ? 'ok' : 'degraded';
      // Shedding does not make the server unhealthy: it is how it stays up. A load balancer
      // that took it out of rotation for answering 429s would only move the storm elsewhere.
      const load = fastify.loadShedding.health();
      return reply.code(database === 'ok' ? 200 : 503).send({
        status,
        version: SERVER_VERSION,
        protocolVersion: PROTOCOL_VERSION,
        time: fastify.now().toISOString(),
        checks:
          gateway === undefined ? { database } : { database, gateway: gateway.breaker === 'open' ? 'failing' : 'ok' },
        ...(gateway && { gateway }),
        ...(load && { load }),
      });
    },
  );
};

/** Only when a gateway is configured: the breaker of this process and the capture backlog. */
async function gatewayHealth(fastify: FastifyInstance): Promise<GatewayHealth | undefined> {
  if (!fastify.paymentGateway.configured) return undefined;
  const breaker = fastify.paymentGateway.breaker.state();
  const now = fastify.now().getTime();
  return {
    breaker: breaker.state,
    retryAfterSeconds:
      breaker.state === 'open' && breaker.nextProbeAt !== null
        ? Math.max(0, Math.ceil((breaker.nextProbeAt - now) / 1000))
        : 0,
    backlog: await fastify.ledger.paymentBacklog(),
  };
}

export default healthRoutes;
