import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ERROR_CODES,
  PaymentActionRequest,
  PaymentActionResponse,
  PaymentsQuery,
  PaymentsResponse,
  StoreParams,
} from '@till/shared';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import type { PaymentActionResult } from '../../../store/console/operations-store.ts';
import { dayRangeOf, pageFilterOf } from './query.ts';

/** The store's card payments by state and view, and what a manager does about them (MGR-7). */
const paymentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/payments',
    {
      schema: {
        tags: ['manager'],
        summary: 'Card payments newest first, with counts of every payment of the store by state',
        description:
          'view=open: pending, unknown, quarantined; declined_after_forwarding: stored payments the gateway declined later; all (default). from/to: store-time days of the sale paid.',
        params: StoreParams,
        querystring: PaymentsQuery,
        response: { 200: PaymentsResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      const query = request.query;
      return fastify.ledger.consolePayments(scope, {
        ...pageFilterOf(query),
        range: dayRangeOf(query, scope.store.timezone),
        view: query.view ?? 'all',
        state: query.state,
        deviceId: query.deviceId,
      });
    },
  );

  fastify.post(
    '/payments/actions',
    {
      schema: {
        tags: ['manager'],
        summary: 'Retry now, write off or record as paid elsewhere, for one or many payments',
        description:
          'Answers per payment: done, not_allowed (with why) or not_found. write_off and resolve_paid_elsewhere need a reason. Each payment is changed and audited in its own transaction.',
        params: StoreParams,
        body: PaymentActionRequest,
        response: { 200: PaymentActionResponse, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      const { action, paymentIds } = request.body;
      const reason = request.body.reason ?? null;
      if (action !== 'retry_now' && reason === null) {
        throw new ApiProblem(400, ERROR_CODES.invalidRequest, 'Say why: a write-off needs a reason', [
          { path: '/reason', message: `is required for ${action}` },
        ]);
      }
      const results: PaymentActionResult[] = [];
      for (const paymentId of new Set(paymentIds)) {
        results.push(
          await fastify.ledger.actOnPayment(scope, { action, paymentId, reason, now: fastify.now().toISOString() }),
        );
      }
      // Made due now: the worker should not sleep out its idle poll before taking them.
      if (action === 'retry_now' && results.some((result) => result.outcome === 'done')) fastify.captureWorker?.wake();
      return { results };
    },
  );
};

export default paymentRoutes;
