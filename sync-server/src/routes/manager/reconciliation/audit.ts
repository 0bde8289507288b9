import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditQuery, AuditResponse, ERROR_CODES, StoreParams } from '@till/shared';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';
import { type AuditCursor, decodeAuditCursor } from '../../../store/console/reconciliation-store.ts';
import { openDayRange } from './days.ts';

const DEFAULT_PAGE = 100;

/** Who did what (MGR-8): this store's audit rows and the tenant-wide ones, newest first. */
const auditRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/audit',
    {
      schema: {
        tags: ['manager'],
        summary: "The store's audit log (and tenant-wide entries such as sign-ins), newest first",
        description:
          '`from`/`to` are store-time days (open-ended when absent); `action` an exact code such as ' +
          'payment.write_off; pass `nextBefore` as `before` for the next page.',
        params: StoreParams,
        querystring: AuditQuery,
        response: { 200: AuditResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => {
      const scope = consoleScopeOf(request);
      const { from, to, action, limit, before } = request.query;
      return fastify.ledger.auditLog(scope, {
        range: openDayRange(scope, { from, to }),
        action: action === undefined || action.trim() === '' ? undefined : action.trim(),
        limit: limit ?? DEFAULT_PAGE,
        before: before === undefined || before === '' ? undefined : cursorOf(before),
      });
    },
  );
};

function cursorOf(before: string): AuditCursor {
  const cursor = decodeAuditCursor(before);
  if (cursor === undefined) {
    throw new ApiProblem(400, ERROR_CODES.invalidRequest, 'before is not a cursor from this API; pass nextBefore', [
      { path: '/querystring/before', message: 'must be a nextBefore value' },
    ]);
  }
  return cursor;
}

export default auditRoutes;
