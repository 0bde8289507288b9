import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ERROR_CODES,
  ReasonRequest,
  SequenceIssueRow,
  SequenceIssuesQuery,
  SequenceIssuesResponse,
  StoreParams,
  Uuid,
} from '@till/shared';
import Type from 'typebox';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';

const IssueParams = Type.Object({ storeId: Uuid, issueId: Uuid }, { additionalProperties: false });

/** Gaps, reuses and hash problems in the store's tills' sequences (I3), and acknowledging them (MGR-13). */
const sequenceIssueRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/sequence-issues',
    {
      schema: {
        tags: ['manager'],
        summary: "The store's sequence problems (open by default)",
        params: StoreParams,
        querystring: SequenceIssuesQuery,
        response: { 200: SequenceIssuesResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => ({
      issues: await fastify.ledger.consoleSequenceIssues(consoleScopeOf(request), request.query.view ?? 'open'),
    }),
  );

  fastify.post(
    '/sequence-issues/:issueId/acknowledge',
    {
      schema: {
        tags: ['manager'],
        summary: 'Acknowledge a sequence problem that will not resolve itself, with a reason (audited)',
        params: IssueParams,
        body: ReasonRequest,
        response: { 200: SequenceIssueRow, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const issue = await fastify.ledger.acknowledgeSequenceIssue(consoleScopeOf(request), {
        issueId: request.params.issueId,
        reason: request.body.reason,
        now: fastify.now().toISOString(),
      });
      if (issue === undefined) throw new ApiProblem(404, ERROR_CODES.notFound, 'No such sequence issue in this store');
      return issue;
    },
  );
};

export default sequenceIssueRoutes;
