import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DateRangeQuery, ShiftsResponse, StoreParams } from '@till/shared';
import { errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import { dayRange } from './days.ts';

/** Cash drawers (SHIFT-3): expected against counted, with the till's own figures beside them. */
const shiftRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/shifts',
    {
      schema: {
        tags: ['manager'],
        summary: 'Shifts opened in a range of store-time days, and every shift still open',
        description:
          'Expected cash = opening float + cash of the shift’s sales received + cash movements; over/short = ' +
          'counted − expected (null while open). missingSales: sales the till counted that have not arrived.',
        params: StoreParams,
        querystring: DateRangeQuery,
        response: { 200: ShiftsResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      const { range } = dayRange(fastify, scope, request.query);
      return { shifts: await fastify.ledger.shiftRows(scope, { range, includeOpen: true }) };
    },
  );
};

export default shiftRoutes;
