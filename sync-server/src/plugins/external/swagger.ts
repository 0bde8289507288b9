import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { API_PREFIX, PROTOCOL_VERSION } from '@till/shared';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SERVER_VERSION } from '../../version.ts';

/** OpenAPI 3 generated from the route schemas: JSON at /docs/json, Swagger UI at /docs. */
async function swagger(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifySwagger, {
    // Shared schemas with an $id (Sale, StoreInfo, ApiError) become named components.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Till sync server',
        description: `Device API of Till, sync protocol ${PROTOCOL_VERSION}, under ${API_PREFIX}. Errors are always { error, message, details? }.`,
        version: SERVER_VERSION,
      },
      components: {
        securitySchemes: {
          deviceToken: { type: 'http', scheme: 'bearer', description: 'The deviceToken issued at enrollment' },
        },
      },
    },
  });
  await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' });
}

export default fp(swagger, { name: 'swagger' });
