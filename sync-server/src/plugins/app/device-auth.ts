import { ERROR_CODES } from '@till/shared';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { bearerToken, sha256HexSync } from '../../credentials.ts';
import { ApiProblem } from '../../http-errors.ts';
import type { DeviceContext } from '../../store/ledger-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for device routes: 401 without a known token, 403 when revoked. */
    authenticateDevice: onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    /** Set by `authenticateDevice`; read it with `deviceOf(request)`. */
    device: DeviceContext | null;
  }
}

/**
 * Device authentication. The device, its store and tenant come from the token alone; nothing
 * in a request body can widen what a device reads or writes (I10). Runs on `onRequest`, before
 * the body is even read, so an unauthenticated client cannot make the server parse anything.
 */
async function deviceAuth(fastify: FastifyInstance): Promise<void> {
  fastify.decorateRequest('device', null);
  fastify.decorate('authenticateDevice', async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      throw new ApiProblem(
        401,
        ERROR_CODES.unauthorized,
        'Send the device token as "Authorization: Bearer till_dev_…"',
      );
    }
    const device = await fastify.ledger.findDeviceByTokenHash(sha256HexSync(token));
    if (device === undefined) {
      throw new ApiProblem(401, ERROR_CODES.unauthorized, 'This device token is not known; enroll the device again');
    }
    if (device.status !== 'active') {
      throw new ApiProblem(
        403,
        ERROR_CODES.deviceRevoked,
        'A manager revoked this device; enroll it again with a new code',
      );
    }
    request.device = device;
  });
}

/** The authenticated device of a request on a device route. */
export function deviceOf(request: FastifyRequest): DeviceContext {
  if (request.device === null) throw new Error('deviceOf() on a route without authenticateDevice');
  return request.device;
}

export default fp(deviceAuth, { name: 'device-auth', dependencies: ['ledger'] });
