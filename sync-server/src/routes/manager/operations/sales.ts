import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ERROR_CODES, SaleDetail, SalesQuery, SalesResponse, StoreParams, Uuid } from '@till/shared';
import Type from 'typebox';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import { dayRangeOf, pageFilterOf } from './query.ts';

const SaleParams = Type.Object({ storeId: Uuid, saleId: Uuid }, { additionalProperties: false });

/** The store's sales as received: search, and one sale with its payments and chain findings. */
const saleRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/sales',
    {
      schema: {
        tags: ['manager'],
        summary: 'Sales newest first (by the till clock); from/to are store-time days',
        description:
          'receiptNo matches the whole number or a part of it; tender=card: sales with a card tender, cash: with cash; flagged=true: only flagged sales.',
        params: StoreParams,
        querystring: SalesQuery,
        response: { 200: SalesResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      const query = request.query;
      return fastify.ledger.consoleSales(scope, {
        ...pageFilterOf(query),
        range: dayRangeOf(query, scope.store.timezone),
        receiptNo: query.receiptNo,
        deviceId: query.deviceId,
        minTotal: query.minTotal,
        maxTotal: query.maxTotal,
        tender: query.tender,
        flagged: query.flagged,
      });
    },
  );

  fastify.get(
    '/sales/:saleId',
    {
      schema: {
        tags: ['manager'],
        summary: 'One sale as sold, its card payments and attempts, sequence issues and conflicting copies',
        params: SaleParams,
        response: { 200: SaleDetail, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const sale = await fastify.ledger.consoleSale(consoleScopeOf(request), request.params.saleId);
      if (sale === undefined) throw new ApiProblem(404, ERROR_CODES.notFound, 'No such sale in this store');
      return sale;
    },
  );
};

export default saleRoutes;
