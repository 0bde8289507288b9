import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CatalogQuery, CatalogResponse } from '@till/shared';
import { errorResponses } from '../http-errors.ts';
import { deviceOf } from '../plugins/app/device-auth.ts';

/** The store's catalog for the till: everything, or only what changed since a version. */
const catalogRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/catalog',
    {
      onRequest: fastify.authenticateDevice,
      schema: {
        tags: ['catalog'],
        summary: "The device's store catalog; pass ?since=<version> for changes only",
        security: [{ deviceToken: [] }],
        querystring: CatalogQuery,
        response: { 200: CatalogResponse, ...errorResponses(400, 401, 403, 500) },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      return fastify.ledger.getCatalog(device, request.query.since ?? 0);
    },
  );
};

export default catalogRoutes;
