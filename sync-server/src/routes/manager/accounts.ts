import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type ApiError,
  ERROR_CODES,
  ManagerAccountChange,
  ManagerAccountParams,
  ManagerAccountRow,
  ManagerAccountsResponse,
  type ManagerRole,
  NewManagerAccountRequest,
  SetPasswordRequest,
  type StoreAccess,
  uuidv7,
} from '@till/shared';
import type { FastifyRequest } from 'fastify';
import { ApiProblem, errorResponses, ServerBusyProblem } from '../../http-errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../manager/passwords.ts';
import { managerOf, requireOwner } from '../../plugins/app/manager-auth.ts';
import type { AccountChange } from '../../store/console/auth-store.ts';
import { actorOf, type ManagerContext } from '../../store/console/types.ts';

type Detail = NonNullable<ApiError['details']>[number];

const ownersOnly = async (request: FastifyRequest) => requireOwner(request, 'manage the team');

/** A 400 whose message is `message`, or the first problem's (each is a sentence a person reads). */
function invalid(problems: Detail[], message = problems[0]?.message ?? 'Invalid request'): never {
  throw new ApiProblem(400, ERROR_CODES.invalidRequest, message, problems);
}

/** What the schema cannot say: an e-mail address, a long enough password, an owner on every store. */
function accountProblems(input: {
  email?: string;
  role: ManagerRole;
  storeIds: StoreAccess;
  password?: string;
}): Detail[] {
  const problems: Detail[] = [];
  if (input.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(input.email.trim())) {
    problems.push({ path: '/email', message: 'This is not an e-mail address' });
  }
  const weak = input.password === undefined ? undefined : passwordProblem(input.password);
  if (weak !== undefined) problems.push({ path: '/password', message: weak });
  if (input.role === 'owner' && input.storeIds !== 'all') {
    problems.push({ path: '/storeIds', message: 'An owner manages every store: choose all stores' });
  }
  return problems;
}

/** The access a request asks for, as the store keeps it. */
function accessOf(storeIds: StoreAccess): { allStores: boolean; storeIds: string[] } {
  return storeIds === 'all' ? { allStores: true, storeIds: [] } : { allStores: false, storeIds };
}

function savedAccount(change: AccountChange, request: { email?: string; storeIds: StoreAccess }): ManagerAccountRow {
  switch (change.kind) {
    case 'saved':
      return change.account;
    case 'not_found':
      throw new ApiProblem(404, ERROR_CODES.notFound, 'No such account');
    case 'email_taken':
      throw new ApiProblem(
        409,
        ERROR_CODES.emailTaken,
        `There is already an account for ${request.email ?? 'this e-mail'}`,
        [{ path: '/email', message: 'is used by another account' }],
      );
    case 'unknown_stores': {
      const listed = request.storeIds === 'all' ? [] : request.storeIds;
      // The same words for a store of another tenant and one that does not exist (I10).
      return invalid(
        listed.flatMap((storeId, index) =>
          change.storeIds.includes(storeId)
            ? [{ path: `/storeIds/${index}`, message: 'is not one of your stores' }]
            : [],
        ),
        'A chosen store is not one of your stores; reload the page and choose again',
      );
    }
    case 'last_owner':
      return invalid([
        {
          path: '/role',
          message:
            'You are the last active owner: make another account an owner before you step down or disable yourself',
        },
      ]);
  }
}

/**
 * The Team (MGR-14): an owner lists, adds and changes the accounts of their own tenant and sets
 * passwords; anyone sets their own. Tenant-level routes (no store in the path), each behind the
 * session and CSRF hook; every query is scoped to the caller's tenant, so another tenant's
 * account id is answered 404 (MGR-5, I10), and every change is audited in its transaction (MGR-8).
 */
const accountRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/accounts',
    {
      onRequest: fastify.authenticateManager,
      preValidation: ownersOnly,
      schema: {
        tags: ['manager'],
        summary: "The tenant's manager accounts (owners only)",
        response: { 200: ManagerAccountsResponse, ...errorResponses(401, 403, 500) },
      },
    },
    async (request, reply) => {
      const accounts = await fastify.ledger.tenantManagers(actorOf(managerOf(request)));
      return reply.header('Cache-Control', 'no-store').send({ accounts });
    },
  );

  fastify.post(
    '/accounts',
    {
      onRequest: fastify.authenticateManager,
      // Before the body is validated: a manager is told "owners only", not how to fix the body.
      preValidation: ownersOnly,
      schema: {
        tags: ['manager'],
        summary: 'Adds an account to the tenant (owners only)',
        description:
          'The password (10–200 characters) is for the new person to sign in with once and change; it is stored hashed and never audited. 409 email_taken when any account has the e-mail.',
        body: NewManagerAccountRequest,
        response: { 201: ManagerAccountRow, ...errorResponses(400, 401, 403, 409, 500) },
      },
    },
    async (request, reply) => {
      const problems = accountProblems(request.body);
      if (problems.length > 0) invalid(problems);
      const email = request.body.email.trim().toLowerCase();
      const change = await fastify.ledger.addTenantManager(
        {
          id: uuidv7(),
          email,
          name: request.body.name.trim(),
          role: request.body.role,
          passwordHash: await hashPassword(request.body.password),
          ...accessOf(request.body.storeIds),
          now: fastify.now().toISOString(),
        },
        actorOf(managerOf(request)),
      );
      return reply.code(201).send(savedAccount(change, { email, storeIds: request.body.storeIds }));
    },
  );

  fastify.put(
    '/accounts/:managerId',
    {
      onRequest: fastify.authenticateManager,
      preValidation: ownersOnly,
      schema: {
        tags: ['manager'],
        summary: 'Changes an account: name, role, stores, active or disabled (owners only)',
        description:
          'Disabling ends the account’s sessions at once. A change that would leave the tenant without an active owner is refused (400).',
        params: ManagerAccountParams,
        body: ManagerAccountChange,
        response: { 200: ManagerAccountRow, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const problems = accountProblems(request.body);
      if (problems.length > 0) invalid(problems);
      const change = await fastify.ledger.changeTenantManager(
        {
          managerId: request.params.managerId,
          name: request.body.name.trim(),
          role: request.body.role,
          status: request.body.status,
          ...accessOf(request.body.storeIds),
          now: fastify.now().toISOString(),
        },
        actorOf(managerOf(request)),
      );
      return savedAccount(change, { storeIds: request.body.storeIds });
    },
  );

  fastify.post(
    '/accounts/:managerId/password',
    {
      onRequest: fastify.authenticateManager,
      preValidation: async (request) => {
        const { managerId } = request.params as { managerId?: string };
        if (managerId !== managerOf(request).managerId) requireOwner(request, "set another person's password");
      },
      schema: {
        tags: ['manager'],
        summary: 'Sets an account’s password (an owner, or the account itself)',
        description: 'Ends the account’s other sessions. The password is stored hashed and never audited.',
        params: ManagerAccountParams,
        body: SetPasswordRequest,
        response: {
          204: { type: 'null', description: 'Password set' },
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const weak = passwordProblem(request.body.password);
      if (weak !== undefined) invalid([{ path: '/password', message: weak }]);
      const manager = managerOf(request);
      if (request.params.managerId === manager.managerId) await checkCurrentPassword(request, manager);
      const found = await fastify.ledger.setTenantManagerPassword(
        {
          managerId: request.params.managerId,
          passwordHash: await hashPassword(request.body.password),
          keepSessionHash: manager.sessionHash,
          now: fastify.now().toISOString(),
        },
        actorOf(manager),
      );
      if (!found) throw new ApiProblem(404, ERROR_CODES.notFound, 'No such account');
      return reply.code(204).send(null);
    },
  );
};

/**
 * Changing your own password needs the current one, so a session left open on a shop laptop
 * cannot be turned into the account. Wrong guesses count as failed sign-ins (MGR-4): the same
 * limit stops guessing here.
 */
async function checkCurrentPassword(request: FastifyRequest<{ Body: SetPasswordRequest }>, manager: ManagerContext) {
  const fastify = request.server;
  const config = fastify.consoleConfig;
  const now = fastify.now();
  const since = new Date(now.getTime() - config.loginWindowMinutes * 60_000).toISOString();
  const failures = await fastify.ledger.recentLoginFailures(manager.email, request.ip, since);
  if (failures.byEmail >= config.loginMaxFailuresPerEmail || failures.byIp >= config.loginMaxFailuresPerIp) {
    throw new ServerBusyProblem('Too many wrong passwords; try again later', config.loginWindowMinutes * 60);
  }
  const account = await fastify.ledger.findManagerByEmail(manager.email);
  const current = request.body.currentPassword;
  if (account === undefined || current === undefined || !(await verifyPassword(current, account.passwordHash))) {
    await fastify.ledger.recordLoginAttempt({
      email: manager.email,
      ip: request.ip,
      at: now.toISOString(),
      succeeded: false,
    });
    throw new ApiProblem(403, ERROR_CODES.forbidden, 'Your current password is not right', [
      {
        path: '/currentPassword',
        message: current === undefined ? 'Type your current password' : 'Not your current password',
      },
    ]);
  }
}

export default accountRoutes;
