import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ERROR_CODES, LoginRequest, ManagerSession, SESSION_COOKIE } from '@till/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem, errorResponses, ServerBusyProblem } from '../../http-errors.ts';
import { decoyHash, verifyPassword } from '../../manager/passwords.ts';
import { csrfTokenFor, newSessionToken, sessionHash } from '../../manager/session-tokens.ts';
import { idleExpiry, managerOf } from '../../plugins/app/manager-auth.ts';
import { actorOf, type ManagerContext } from '../../store/console/types.ts';

const COOKIE_PATH = '/api/v1/manager';

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** Sign-in, who-am-I and sign-out (SPEC MGR-1, MGR-2, MGR-4). */
const sessionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const config = fastify.consoleConfig;

  const sessionBody = async (manager: ManagerContext, token: string, expiresAt: string): Promise<ManagerSession> => {
    const stores = await fastify.ledger.managerStores(manager);
    return {
      manager: { id: manager.managerId, email: manager.email, name: manager.name, role: manager.role },
      tenant: { id: manager.tenantId, name: manager.tenantName },
      stores: stores.map((store) => ({
        id: store.id,
        code: store.code,
        name: store.name,
        currency: store.currency,
        locale: store.locale,
        timezone: store.timezone,
      })),
      csrfToken: csrfTokenFor(token),
      expiresAt,
    };
  };

  fastify.post(
    '/session',
    {
      schema: {
        tags: ['manager'],
        summary: 'Sign in to the manager console',
        description:
          'Sets the till_session cookie (httpOnly, SameSite=Strict). A wrong e-mail or password gets one answer (401). Rate limited per e-mail and per address (429).',
        body: LoginRequest,
        response: { 200: ManagerSession, ...errorResponses(400, 401, 429, 500) },
      },
    },
    async (request, reply) => {
      const now = fastify.now();
      const email = request.body.email.trim().toLowerCase();
      const ip = request.ip;
      const windowStart = new Date(now.getTime() - config.loginWindowMinutes * 60_000).toISOString();
      const failures = await fastify.ledger.recentLoginFailures(email, ip, windowStart);
      const limited =
        failures.byEmail >= config.loginMaxFailuresPerEmail
          ? failures.oldestByEmail
          : failures.byIp >= config.loginMaxFailuresPerIp
            ? failures.oldestByIp
            : undefined;
      if (limited !== undefined) {
        const freeAt = Date.parse(limited ?? now.toISOString()) + config.loginWindowMinutes * 60_000;
        const retryAfter = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
        throw new ServerBusyProblem(
          `Too many failed sign-ins; try again in ${Math.ceil(retryAfter / 60)} min`,
          retryAfter,
        );
      }

      const account = await fastify.ledger.findManagerByEmail(email);
      // Verify against a decoy when there is no account, so timing does not reveal which e-mails exist.
      const ok = await verifyPassword(request.body.password, account?.passwordHash ?? (await decoyHash()));
      if (account === undefined || !ok || account.status !== 'active') {
        await fastify.ledger.recordLoginAttempt({ email, ip, at: now.toISOString(), succeeded: false });
        throw new ApiProblem(401, ERROR_CODES.unauthorized, 'Wrong e-mail or password');
      }

      const token = newSessionToken();
      const expiresAt = new Date(now.getTime() + config.sessionMaxHours * 3_600_000).toISOString();
      await fastify.ledger.createManagerSession({
        tokenHash: sessionHash(token),
        csrfHash: sessionHash(csrfTokenFor(token)),
        manager: account,
        now: now.toISOString(),
        idleExpiresAt: idleExpiry(now, config, expiresAt),
        expiresAt,
        ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      const session = await fastify.ledger.findManagerSession(sessionHash(token), now.toISOString());
      if (session === undefined) throw new Error('a session just created is not found');
      return reply
        .header('Set-Cookie', sessionCookie(request, token, config.sessionMaxHours * 3600))
        .header('Cache-Control', 'no-store')
        .send(await sessionBody(session.manager, token, expiresAt));
    },
  );

  fastify.get(
    '/session',
    {
      onRequest: fastify.authenticateManager,
      schema: {
        tags: ['manager'],
        summary: 'The signed-in manager, their stores and the CSRF token',
        response: { 200: ManagerSession, ...errorResponses(401, 500) },
      },
    },
    async (request, reply) => {
      const manager = managerOf(request);
      const token = request.managerSessionToken ?? '';
      const expiresAt = request.managerSessionExpiresAt ?? '';
      return reply.header('Cache-Control', 'no-store').send(await sessionBody(manager, token, expiresAt));
    },
  );

  fastify.delete(
    '/session',
    {
      onRequest: fastify.authenticateManager,
      schema: {
        tags: ['manager'],
        summary: 'Sign out: ends the session everywhere and clears the cookie',
        response: { 204: { type: 'null', description: 'Signed out' }, ...errorResponses(401, 403, 500) },
      },
    },
    async (request, reply: FastifyReply) => {
      const manager = managerOf(request);
      await fastify.ledger.endManagerSession(manager.sessionHash, actorOf(manager), fastify.now().toISOString());
      return reply
        .code(204)
        .header('Set-Cookie', sessionCookie(request, '', 0))
        .send();
    },
  );
};

export default sessionRoutes;
