import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeviceInfo, EnrollRequest, EnrollResponse, ERROR_CODES, uuidv7 } from '@till/shared';
import { hashEnrollmentCode, newDeviceToken, sha256HexSync } from '../credentials.ts';
import { ApiProblem, COMMON_ERRORS, errorResponses } from '../http-errors.ts';
import { deviceOf } from '../plugins/app/device-auth.ts';

const deviceSecurity = [{ deviceToken: [] }];

/** Enrollment (code → device token) and the device's view of itself. */
const deviceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/devices/enroll',
    {
      schema: {
        tags: ['devices'],
        summary: 'Enroll this device with a one-time code from a manager',
        description:
          'A wrong, used or expired code all answer 400 enrollment_code_invalid with the same message, so codes cannot be probed.',
        body: EnrollRequest,
        response: { 201: EnrollResponse, ...errorResponses(...COMMON_ERRORS) },
      },
    },
    async (request, reply) => {
      const token = newDeviceToken();
      const enrolled = await fastify.ledger.enrollDevice({
        codeHash: hashEnrollmentCode(request.body.code),
        deviceId: uuidv7(),
        deviceName: request.body.deviceName,
        appVersion: request.body.appVersion,
        tokenHash: sha256HexSync(token),
        now: fastify.now().toISOString(),
      });
      if (enrolled === undefined) {
        throw new ApiProblem(
          400,
          ERROR_CODES.enrollmentCodeInvalid,
          'This enrollment code is not valid: it may be mistyped, already used or expired. Ask a manager for a new one.',
        );
      }
      request.log.info({ deviceId: enrolled.deviceId, storeId: enrolled.store.id }, 'device enrolled');
      // The token is in this body and nowhere else; no cache may keep it.
      return reply
        .code(201)
        .header('Cache-Control', 'no-store')
        .send({ ...enrolled, deviceToken: token });
    },
  );

  fastify.get(
    '/device',
    {
      onRequest: fastify.authenticateDevice,
      schema: {
        tags: ['devices'],
        summary: 'What the server knows about the calling device',
        security: deviceSecurity,
        response: { 200: DeviceInfo, ...errorResponses(401, 403, 500) },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      return {
        deviceId: device.deviceId,
        deviceNo: device.deviceNo,
        deviceName: device.deviceName,
        ackedSeq: device.ackedSeq,
        store: device.store,
      };
    },
  );
};

export default deviceRoutes;
