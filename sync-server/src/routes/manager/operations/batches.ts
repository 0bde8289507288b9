import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BatchDetail, BatchesQuery, BatchesResponse, ERROR_CODES, StoreParams, Uuid } from '@till/shared';
import Type from 'typebox';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import { dayRangeOf, pageFilterOf } from './query.ts';

const BatchParams = Type.Object({ storeId: Uuid, batchId: Uuid }, { additionalProperties: false });

/** The pushes the store's tills made, newest first, and what each carried. */
const batchRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/batches',
    {
      schema: {
        tags: ['manager'],
        summary: 'Batches (pushes) newest first; from/to are store-time days of arrival',
        params: StoreParams,
        querystring: BatchesQuery,
        response: { 200: BatchesResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      return fastify.ledger.consoleBatches(scope, {
        ...pageFilterOf(request.query),
        range: dayRangeOf(request.query, scope.store.timezone),
        deviceId: request.query.deviceId,
      });
    },
  );

  fastify.get(
    '/batches/:batchId',
    {
      schema: {
        tags: ['manager'],
        summary: 'One batch and each sale it carried, in the order sent (duplicates included)',
        params: BatchParams,
        response: { 200: BatchDetail, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const batch = await fastify.ledger.consoleBatch(consoleScopeOf(request), request.params.batchId);
      if (batch === undefined) throw new ApiProblem(404, ERROR_CODES.notFound, 'No such batch in this store');
      return batch;
    },
  );
};

export default batchRoutes;
