import type { LoadHealth } from '@till/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { LoadSheddingConfig, RouteLimits } from '../../config.ts';
import { bearerToken, sha256HexSync } from '../../credentials.ts';
import { ServerBusyProblem } from '../../http-errors.ts';
import { AdmissionController } from '../../load/admission-controller.ts';

/** The routes whose work is worth protecting: batch ingest and live capture. */
export type ShedRoute = 'push' | 'capture';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * onRequest hooks that admit, queue or shed a request (429 + Retry-After), placed before
     * `authenticateDevice` on the push and live capture routes; and the counters for /health.
     */
    loadShedding: {
      admit: Record<ShedRoute, onRequestAsyncHookHandler>;
      health(): LoadHealth | undefined;
    };
  }
  interface FastifyRequest {
    /** The slot this request holds; given back when the response is sent or the client goes. */
    admissionTicket: { release(): void } | null;
  }
}

export interface LoadSheddingOptions {
  config: LoadSheddingConfig;
  /** Randomness for the Retry-After jitter (tests pin it). */
  random?: () => number;
}

const WHAT: Record<ShedRoute, string> = { push: 'pushes', capture: 'card captures' };

/**
 * Load shedding (SPEC SCALE-1…SCALE-6). The hook runs first on `onRequest`: before the body is
 * read, parsed or validated, and before authentication, so deciding costs no database query —
 * under load the ledger's one connection is busy with pushes, and a refusal that waited for it
 * would be as slow as the work it refuses. A device is known by the hash of its bearer token
 * (one token per device); a request without a well-formed token is left to authentication
 * (401). A request admitted with an unknown token is refused by authentication and gives its
 * slot back at once. Health, catalog, updates and static files have no hook: never shed.
 */
async function loadShedding(fastify: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  const random = options.random ?? Math.random;
  const controllers: Partial<Record<ShedRoute, AdmissionController>> = {};
  const build = (limits: RouteLimits | null) =>
    limits === null ? undefined : new AdmissionController({ ...limits, random });
  const push = build(options.config.push);
  const capture = build(options.config.capture);
  if (push) controllers.push = push;
  if (capture) controllers.capture = capture;

  fastify.decorateRequest('admissionTicket', null);
  // The normal release. The 'close' listener set in the hook is the safety net for a client
  // that goes away mid-request, when Fastify runs no onResponse hook.
  fastify.addHook('onResponse', async (request) => {
    request.admissionTicket?.release();
  });

  const hook =
    (route: ShedRoute): onRequestAsyncHookHandler =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const controller = controllers[route];
      const token = bearerToken(request.headers.authorization);
      if (controller === undefined || token === undefined) return;
      await admit(controller, route, sha256HexSync(token), request, reply);
    };

  fastify.decorate('loadShedding', {
    admit: { push: hook('push'), capture: hook('capture') },
    health(): LoadHealth | undefined {
      if (push === undefined && capture === undefined) return undefined;
      return { ...(push && { push: push.stats() }), ...(capture && { capture: capture.stats() }) };
    },
  });
}

async function admit(
  controller: AdmissionController,
  route: ShedRoute,
  deviceKey: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const gone = new AbortController();
  // 'close' on the response: sent, or the connection died. Either way the slot is free.
  const onClose = () => {
    if (request.admissionTicket) request.admissionTicket.release();
    else gone.abort();
  };
  reply.raw.once('close', onClose);
  const admission = await controller.admit(deviceKey, gone.signal);
  if (admission.kind === 'admitted') {
    request.admissionTicket = admission.ticket;
    // The client left between the grant and now: nobody will read the answer.
    if (gone.signal.aborted) admission.ticket.release();
    return;
  }
  reply.raw.removeListener('close', onClose);
  if (admission.kind === 'abandoned') {
    throw new ServerBusyProblem('The request was given up while it waited', 1);
  }
  const { inFlight, queued, reason, retryAfterSeconds } = admission;
  const why =
    reason === 'device_busy'
      ? `This device already has one of its ${WHAT[route]} in progress; send the next after it is answered.`
      : `The server is busy (${inFlight} ${WHAT[route]} in progress, ${queued} waiting).`;
  throw new ServerBusyProblem(
    `${why} Nothing was done; retry the same request in ${retryAfterSeconds} s.`,
    retryAfterSeconds,
  );
}

export default fp(loadShedding, { name: 'load-shedding' });
