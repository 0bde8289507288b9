import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ERROR_CODES, isKnownTimeZone, StoreParams, StoreSettings, StoreSettingsResponse } from '@till/shared';
import { ApiProblem, errorResponses } from '../../../http-errors.ts';
import { consoleScopeOf, requireOwner } from '../../../plugins/app/manager-auth.ts';

type Detail = { path: string; message: string };

/** What the schema cannot say: a real time zone and locale, tax rate ids used once. */
function settingsProblems(settings: StoreSettings): Detail[] {
  const problems: Detail[] = [];
  if (!isKnownTimeZone(settings.timezone)) {
    problems.push({
      path: '/timezone',
      message: `"${settings.timezone}" is not an IANA time zone (e.g. America/New_York)`,
    });
  }
  try {
    Intl.getCanonicalLocales(settings.locale);
  } catch {
    problems.push({ path: '/locale', message: `"${settings.locale}" is not a BCP 47 locale (e.g. en-US)` });
  }
  settings.taxRates.forEach((rate, index) => {
    if (settings.taxRates.findIndex((other) => other.id === rate.id) !== index) {
      problems.push({ path: `/taxRates/${index}/id`, message: `"${rate.id}" is used by an earlier rate` });
    }
  });
  return problems;
}

/** The store's settings: anyone of the store reads them, only an owner changes them (MGR-6, MGR-10). */
const settingsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/settings',
    {
      schema: {
        tags: ['manager'],
        summary: "The store's settings, tax rates and card limits",
        params: StoreParams,
        response: { 200: StoreSettingsResponse, ...errorResponses(400, 401, 404, 500) },
      },
    },
    async (request) => fastify.ledger.consoleStoreSettings(consoleScopeOf(request)),
  );

  fastify.put(
    '/settings',
    {
      // Before the body is validated: a manager is told "owners only", not how to fix the body.
      preValidation: async (request) => requireOwner(request, 'change store settings'),
      schema: {
        tags: ['manager'],
        summary: 'Changes the store (owners only); tills get it on their next catalog sync',
        params: StoreParams,
        body: StoreSettings,
        response: { 200: StoreSettingsResponse, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const problems = settingsProblems(request.body);
      const first = problems[0];
      if (first !== undefined) {
        throw new ApiProblem(
          400,
          ERROR_CODES.invalidRequest,
          `Invalid request: ${first.path} ${first.message}`,
          problems,
        );
      }
      return fastify.ledger.updateStoreSettings(consoleScopeOf(request), request.body, fastify.now().toISOString());
    },
  );
};

export default settingsRoutes;
