import { ERROR_CODES, SESSION_COOKIE } from '@till/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ConsoleConfig } from '../../config.ts';
import { ApiProblem } from '../../http-errors.ts';
import { csrfMatches, isSessionToken, readCookie, sessionHash } from '../../manager/session-tokens.ts';
import type { ConsoleScope, ManagerContext } from '../../store/console/types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * onRequest hook for console routes: 401 without a live session (MGR-2), 403 `csrf_failed`
     * on a write without the session's CSRF token (MGR-3). Sets `request.manager`.
     */
    authenticateManager: (request: FastifyRequest) => Promise<void>;
    /** onRequest hook for `/manager/stores/:storeId/…`: 404 unless the manager may see the store (MGR-5). */
    scopeConsoleStore: (request: FastifyRequest) => Promise<void>;
    consoleConfig: ConsoleConfig;
  }
  interface FastifyRequest {
    manager: ManagerContext | null;
    /** The session token of a console request (from its cookie), once authenticated. */
    managerSessionToken: string | null;
    /** When that session ends at the latest (its absolute expiry). */
    managerSessionExpiresAt: string | null;
    consoleScope: ConsoleScope | null;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How often a session's idle expiry is written back (a minute's slack on a 30-minute idle limit). */
const TOUCH_EVERY_MS = 60_000;

/** A session's idle expiry if it is used at `now`, never past its absolute expiry. */
export function idleExpiry(now: Date, config: ConsoleConfig, expiresAt: string): string {
  const idle = new Date(now.getTime() + config.sessionIdleMinutes * 60_000).toISOString();
  return idle < expiresAt ? idle : expiresAt;
}

/**
 * Manager authentication. The session is the httpOnly cookie; its row in SQL says who and
 * until when, so any instance can check it and sign-out ends it everywhere. Writes also need
 * the CSRF token (a header a cross-site form cannot set) and, when the browser sends one, an
 * Origin equal to our own — SameSite=Strict is the first line, these are the second.
 */
async function managerAuth(fastify: FastifyInstance, options: { config: ConsoleConfig }): Promise<void> {
  const config = options.config;
  fastify.decorate('consoleConfig', config);
  fastify.decorateRequest('manager', null);
  fastify.decorateRequest('managerSessionToken', null);
  fastify.decorateRequest('managerSessionExpiresAt', null);
  fastify.decorateRequest('consoleScope', null);

  fastify.decorate('authenticateManager', async (request: FastifyRequest) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!isSessionToken(token)) {
      throw new ApiProblem(401, ERROR_CODES.unauthorized, 'Sign in to the manager console');
    }
    const now = fastify.now();
    const hash = sessionHash(token);
    const session = await fastify.ledger.findManagerSession(hash, now.toISOString());
    if (session === undefined) {
      throw new ApiProblem(401, ERROR_CODES.unauthorized, 'Your session has ended; sign in again');
    }
    if (WRITE_METHODS.has(request.method)) {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
        throw new ApiProblem(403, ERROR_CODES.csrfFailed, 'This request came from another site; it was refused');
      }
      const presented = request.headers['x-csrf-token'];
      if (!csrfMatches(token, typeof presented === 'string' ? presented : undefined)) {
        throw new ApiProblem(
          403,
          ERROR_CODES.csrfFailed,
          'Missing or wrong X-CSRF-Token; reload the console and try again',
        );
      }
    }
    // Slide the idle expiry at most once a minute: most console requests then write nothing.
    if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      await fastify.ledger.touchManagerSession(hash, now.toISOString(), idleExpiry(now, config, session.expiresAt));
    }
    request.manager = session.manager;
    request.managerSessionToken = token;
    request.managerSessionExpiresAt = session.expiresAt;
  });

  fastify.decorate('scopeConsoleStore', async (request: FastifyRequest) => {
    const manager = managerOf(request);
    const { storeId } = request.params as { storeId?: string };
    const store = storeId === undefined ? undefined : await fastify.ledger.findConsoleStore(manager, storeId);
    if (store === undefined) {
      // The same answer for another tenant's store, one off the manager's list, and no store (I10).
      throw new ApiProblem(404, ERROR_CODES.notFound, 'No such store');
    }
    request.consoleScope = { tenantId: manager.tenantId, storeId: store.id, store, manager };
  });
}

/** The signed-in manager of a console request. */
export function managerOf(request: FastifyRequest): ManagerContext {
  if (request.manager === null) throw new Error('managerOf() on a route without authenticateManager');
  return request.manager;
}

/** The checked store scope of a `/manager/stores/:storeId/…` request (MGR-5, I10). */
export function consoleScopeOf(request: FastifyRequest): ConsoleScope {
  if (request.consoleScope === null) throw new Error('consoleScopeOf() on a route outside /manager/stores/:storeId');
  return request.consoleScope;
}

/** 403 unless the manager is an owner (MGR-6). */
export function requireOwner(request: FastifyRequest, what: string): void {
  if (managerOf(request).role !== 'owner') {
    throw new ApiProblem(403, ERROR_CODES.forbidden, `Only an owner can ${what}`);
  }
}

export default fp(managerAuth, { name: 'manager-auth', dependencies: ['ledger', 'clock'] });
