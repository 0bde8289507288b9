import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DayQuery, DaySummary, StoreParams } from '@till/shared';
import { errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import { consoleDay } from './days.ts';

/** The Today page: one store-time day in figures, and what needs a manager now. */
const todayRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/today',
    {
      schema: {
        tags: ['manager'],
        summary: "A store-time day's sales, tenders, card outcomes, capture backlog and alerts",
        description:
          'The day is the store-time day of each sale’s time on the till; `date` defaults to today. Card outcomes ' +
          'are the payments of the day’s sales by state and add up to the card tenders (MGR-9). Alerts cover the ' +
          'whole store, critical first.',
        params: StoreParams,
        querystring: DayQuery,
        response: { 200: DaySummary, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      return fastify.ledger.daySummary(scope, consoleDay(fastify, scope, request.query.date));
    },
  );
};

export default todayRoutes;
