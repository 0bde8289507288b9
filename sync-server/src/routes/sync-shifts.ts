import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ShiftPushRequest, ShiftPushResponse } from '@till/shared';
import { COMMON_ERRORS, errorResponses } from '../http-errors.ts';
import { deviceOf } from '../plugins/app/device-auth.ts';
import { checkProtocolVersion } from './sync.ts';

/** A till's cash-drawer shift events (SPEC SHIFT-1, SHIFT-2): stored once each, answered per event. */
const syncShiftRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/sync/shifts',
    {
      onRequest: fastify.authenticateDevice,
      preValidation: checkProtocolVersion,
      schema: {
        tags: ['sync'],
        summary: 'Push shift events (open, cash in/out, close)',
        description:
          'One transaction per request. Each event is answered new, duplicate (same id, same content) or conflict ' +
          '(same id with other content, or a shift of another device: kept aside for a manager, not applied). ' +
          'The till may mark new and duplicate events as sent. A 400 stores nothing.',
        security: [{ deviceToken: [] }],
        body: ShiftPushRequest,
        response: { 200: ShiftPushResponse, ...errorResponses(...COMMON_ERRORS, 401, 403) },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const results = await fastify.ledger.pushShiftEvents(device, request.body.events, fastify.now().toISOString());
      request.log.info(
        {
          deviceId: device.deviceId,
          events: results.length,
          conflicts: results.filter((result) => result.status === 'conflict').length,
        },
        'shift events answered',
      );
      return { results };
    },
  );
};

export default syncShiftRoutes;
