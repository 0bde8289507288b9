import { ERROR_CODES } from '@till/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiProblem, GatewayProblem, ServerBusyProblem } from '../../http-errors.ts';
import { validationDetails } from './validation-details.ts';

/**
 * Every error leaves as `{ error, message, details? }` with a 4xx that says what to fix, or a
 * 500 that reveals nothing. Fastify's own error shape never reaches a client.
 */
async function errorHandling(fastify: FastifyInstance): Promise<void> {
  fastify.setErrorHandler((error: FastifyError | ApiProblem, request, reply) => {
    const problem = toProblem(error, fastify.initialConfig.bodyLimit ?? 0);
    if (problem instanceof ServerBusyProblem) {
      // Shedding is the server working as designed under load; /health counts it. Logging each
      // one at info would add a log line per refusal exactly when the server is busiest.
      request.log.debug({ error: problem.code, retryAfter: problem.retryAfterSeconds }, problem.message);
    } else if (problem instanceof GatewayProblem) {
      // The gateway being down or slow is an expected condition the till handles (store and
      // forward); the breaker and /health report it. A warning, not a stack trace per checkout.
      request.log.warn({ error: problem.code, statusCode: problem.statusCode }, problem.message);
    } else if (problem.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ error: problem.code, statusCode: problem.statusCode }, problem.message);
    }
    if (problem.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="till"');
    if (
      (problem instanceof GatewayProblem || problem instanceof ServerBusyProblem) &&
      problem.retryAfterSeconds !== undefined
    ) {
      reply.header('Retry-After', String(problem.retryAfterSeconds));
    }
    return reply.code(problem.statusCode).send(problem.toBody());
  });

  fastify.setNotFoundHandler(async (request, reply) => notFound(fastify, request, reply));
}

function toProblem(error: FastifyError | ApiProblem, bodyLimit: number): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error.validation) {
    const details = validationDetails(error.validation, error.validationContext ?? 'body');
    const first = details[0];
    const summary = first ? `${first.path} ${first.message}` : 'it does not match the schema';
    return new ApiProblem(400, ERROR_CODES.invalidRequest, `Invalid request: ${summary}`, details);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiProblem(
        413,
        ERROR_CODES.payloadTooLarge,
        `The request body is over ${bodyLimit} bytes; send fewer sales per push`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiProblem(415, ERROR_CODES.unsupportedMediaType, 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiProblem(400, ERROR_CODES.invalidRequest, 'The body is empty; send a JSON object');
  }
  const status = error.statusCode ?? 500;
  if (status === 400 && (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')) {
    return new ApiProblem(400, ERROR_CODES.invalidRequest, 'The body is not valid JSON');
  }
  if (status >= 400 && status < 500) {
    return new ApiProblem(status, status === 404 ? ERROR_CODES.notFound : ERROR_CODES.invalidRequest, error.message);
  }
  return new ApiProblem(500, ERROR_CODES.internal, 'Internal error: nothing was stored; retry later');
}

/**
 * Unknown API paths get a JSON 404. A page navigation outside the API (a GET that accepts
 * HTML) gets the PWA's index.html, so deep links into the single-page app work.
 */
async function notFound(fastify: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const path = request.url.split('?')[0] ?? '/';
  const isApi = path === '/api' || path.startsWith('/api/') || path.startsWith('/docs');
  const wantsPage =
    (request.method === 'GET' || request.method === 'HEAD') && request.headers.accept?.includes('text/html');
  if (!isApi && wantsPage && fastify.pwa.available) {
    return reply.code(200).header('Cache-Control', 'no-cache').sendFile('index.html');
  }
  const hint = !isApi && wantsPage ? ` The till app is not built here (${fastify.pwa.dir}); run npm run build.` : '';
  return reply.code(404).send({ error: ERROR_CODES.notFound, message: `No route ${request.method} ${path}.${hint}` });
}

export default fp(errorHandling, { name: 'error-handling', dependencies: ['static-pwa'] });
