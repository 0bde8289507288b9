import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EnrollmentCodeResponse, ERROR_CODES, ManagerDevice, ReasonRequest, StoreParams, Uuid } from '@till/shared';
import Type from 'typebox';
import { hashEnrollmentCode, newEnrollmentCode } from '../../../credentials.ts';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf } from '../../../plugins/app/manager-auth.ts';

const DeviceParams = Type.Object({ storeId: Uuid, deviceId: Uuid }, { additionalProperties: false });

/** The store's tills: what they last reported, new enrollment codes, revocation (SPEC MGR-5, MGR-8). */
const deviceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  /** Active devices not heard from since this instant are silent. */
  const silentSince = () =>
    new Date(fastify.now().getTime() - fastify.consoleConfig.silentDeviceMinutes * 60_000).toISOString();

  fastify.get(
    '/devices',
    {
      schema: {
        tags: ['manager'],
        summary: "The store's devices: last seen, sequence, unsent backlog, open sequence issues, silent",
        params: StoreParams,
        response: { 200: Type.Array(ManagerDevice), ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => fastify.ledger.consoleDevices(consoleScopeOf(request), silentSince()),
  );

  fastify.post(
    '/enrollment-codes',
    {
      schema: {
        tags: ['manager'],
        summary: 'A one-time code that enrolls one new till into the store',
        description: 'The code is shown once (only its hash is stored) and expires after ENROLLMENT_CODE_TTL_MINUTES.',
        params: StoreParams,
        response: { 201: EnrollmentCodeResponse, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request, reply) => {
      const now = fastify.now();
      const code = newEnrollmentCode();
      const expiresAt = new Date(now.getTime() + fastify.consoleConfig.enrollmentCodeTtlMinutes * 60_000).toISOString();
      await fastify.ledger.createConsoleEnrollmentCode(consoleScopeOf(request), {
        codeHash: hashEnrollmentCode(code),
        expiresAt,
        now: now.toISOString(),
      });
      return reply.code(201).header('Cache-Control', 'no-store').send({ code, expiresAt });
    },
  );

  fastify.post(
    '/devices/:deviceId/revoke',
    {
      schema: {
        tags: ['manager'],
        summary: 'Revokes a till: its token stops working at once (403 device_revoked); its sales stay',
        description: 'Idempotent: revoking a revoked device answers it unchanged.',
        params: DeviceParams,
        body: ReasonRequest,
        response: { 200: ManagerDevice, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const device = await fastify.ledger.revokeConsoleDevice(consoleScopeOf(request), {
        deviceId: request.params.deviceId,
        reason: request.body.reason,
        now: fastify.now().toISOString(),
        silentSince: silentSince(),
      });
      if (device === undefined) throw new ApiProblem(404, ERROR_CODES.notFound, 'No such device in this store');
      return device;
    },
  );
};

export default deviceRoutes;
