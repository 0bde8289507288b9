import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DayQuery, DayReport, StoreParams } from '@till/shared';
import { errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import { consoleDay } from './days.ts';

/** The end-of-day reconciliation (MGR-11). */
const reportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/reports/day',
    {
      schema: {
        tags: ['manager'],
        summary: 'End-of-day reconciliation: till ↔ server ↔ gateway, with named checks',
        description:
          'Checks: card_total_splits, all_sales_in, no_sequence_issues, captures_final, declines_followed_up, ' +
          'drawers_balance, gateway_references. `balances` is true when every check is ok. `date` defaults to today.',
        params: StoreParams,
        querystring: DayQuery,
        response: { 200: DayReport, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      return fastify.ledger.dayReport(scope, consoleDay(fastify, scope, request.query.date));
    },
  );
};

export default reportRoutes;
