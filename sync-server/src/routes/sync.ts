import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ERROR_CODES, PROTOCOL_VERSION, PushRequest, PushResponse } from '@till/shared';
import type { FastifyRequest } from 'fastify';
import { ApiProblem, COMMON_ERRORS, errorResponses } from '../http-errors.ts';
import { prepareBatch } from '../ingest/prepare-batch.ts';
import { deviceOf } from '../plugins/app/device-auth.ts';

/** A till of another protocol version gets a code it can act on (ask for an update), not a schema error. */
export async function checkProtocolVersion(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || !('protocolVersion' in body)) return;
  if (body.protocolVersion === PROTOCOL_VERSION) return;
  // Never echo an arbitrary value back (or into the log): only a number is worth quoting.
  const sent = typeof body.protocolVersion === 'number' ? `version ${body.protocolVersion}` : 'no valid version';
  throw new ApiProblem(
    400,
    ERROR_CODES.unsupportedProtocolVersion,
    `This server speaks sync protocol ${PROTOCOL_VERSION}; the request has ${sent}. Update the till app.`,
  );
}

/** Batch ingest: the till's unsent sales, stored exactly once (I2) and answered per sale. */
const syncRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/sync/push',
    {
      // Admit or shed (429) first, before the body is read and before any query (SCALE-1…3).
      onRequest: [fastify.loadShedding.admit.push, fastify.authenticateDevice],
      preValidation: checkProtocolVersion,
      schema: {
        tags: ['sync'],
        summary: 'Push a batch of completed sales',
        description:
          'One transaction per batch. Each sale is answered new, duplicate or flagged (stored, with reasons); ' +
          'the till may mark every sale listed as sent. Replaying a batchId with the same body returns the same answer. ' +
          '429 rate_limited (+ Retry-After): the server is over capacity and stored nothing; resend the same batch later.',
        security: [{ deviceToken: [] }],
        body: PushRequest,
        response: { 200: PushResponse, ...errorResponses(...COMMON_ERRORS, 401, 403, 409, 429) },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const batch = await prepareBatch(request.body, device.store, fastify.now());
      const outcome = await fastify.ledger.pushBatch(device, batch);
      switch (outcome.kind) {
        case 'stored':
        case 'replayed': {
          const { results } = outcome.response;
          request.log.info(
            {
              batchId: request.body.batchId,
              deviceId: device.deviceId,
              sales: results.length,
              replay: outcome.kind === 'replayed',
            },
            'push answered',
          );
          // New card payments may be queued: let the capture worker look now, not at its next poll.
          if (outcome.kind === 'stored') fastify.captureWorker?.wake();
          return outcome.response;
        }
        case 'batch_id_reused':
          throw new ApiProblem(
            409,
            ERROR_CODES.batchIdReused,
            `batchId ${request.body.batchId} was already used with different content; send new sales under a new batchId`,
          );
        case 'device_revoked':
          throw new ApiProblem(
            403,
            ERROR_CODES.deviceRevoked,
            'A manager revoked this device; enroll it again with a new code',
          );
      }
    },
  );
};

export default syncRoutes;
