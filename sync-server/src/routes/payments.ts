import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CaptureRequest, CaptureResponse, PaymentUpdatesQuery, PaymentUpdatesResponse } from '@till/shared';
import { COMMON_ERRORS, errorResponses } from '../http-errors.ts';
import { DEFAULT_RETRY_POLICY } from '../payments/capture-rules.ts';
import { captureLive } from '../payments/live-capture.ts';
import { deviceOf } from '../plugins/app/device-auth.ts';

/** Most payment updates in one answer; the till asks again with the cursor for more. */
const UPDATES_PAGE = 500;

/** Card payments: live capture, and the outcomes of the device's payments (SPEC PAY-1…PAY-11). */
const paymentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/payments/capture',
    {
      onRequest: [fastify.loadShedding.admit.capture, fastify.authenticateDevice],
      schema: {
        tags: ['payments'],
        summary: 'Capture a card payment now (live), under its till-made payment id',
        description:
          "Answers the gateway's final word (captured or declined). 503 gateway_unavailable (gateway down, circuit open, " +
          'none configured) and 504 gateway_timeout (outcome unknown) mean: store the payment with the same id and ' +
          'complete the sale; the server forwards it and never charges it twice. Repeating a request returns the ' +
          'stored outcome; the same paymentId with other parameters is 409 payment_conflict. 429 rate_limited: the ' +
          'server is over capacity and called nothing; store the payment (same id) like a 503.',
        security: [{ deviceToken: [] }],
        body: CaptureRequest,
        response: { 200: CaptureResponse, ...errorResponses(...COMMON_ERRORS, 401, 403, 409, 429, 503, 504) },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const gateway = fastify.paymentGateway;
      const answer = await captureLive(
        {
          store: fastify.ledger,
          gateway: gateway.live,
          timeoutMs: gateway.timeoutMs,
          now: fastify.now,
          random: fastify.random,
          policy: DEFAULT_RETRY_POLICY,
        },
        device,
        request.body,
      );
      request.log.info(
        { paymentId: answer.paymentId, deviceId: device.deviceId, status: answer.status },
        'live capture answered',
      );
      return answer;
    },
  );

  fastify.get(
    '/payments/updates',
    {
      onRequest: fastify.authenticateDevice,
      schema: {
        tags: ['payments'],
        summary: "Outcomes of this device's card payments changed after a cursor",
        description: `Oldest change first, at most ${UPDATES_PAGE} per answer; pass the returned cursor as since next time.`,
        security: [{ deviceToken: [] }],
        querystring: PaymentUpdatesQuery,
        response: { 200: PaymentUpdatesResponse, ...errorResponses(400, 401, 403, 500) },
      },
    },
    async (request) => fastify.ledger.paymentUpdates(deviceOf(request), request.query.since ?? 0, UPDATES_PAGE),
  );
};

export default paymentRoutes;
