import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { API_PREFIX } from '@till/shared';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { TillConfig } from './config.ts';
import clock from './plugins/app/clock.ts';
import deviceAuth from './plugins/app/device-auth.ts';
import errorHandling from './plugins/app/error-handling.ts';
import ledger from './plugins/app/ledger.ts';
import securityHeaders from './plugins/app/security-headers.ts';
import staticPwa from './plugins/external/static-pwa.ts';
import swagger from './plugins/external/swagger.ts';
import apiRoutes from './routes/index.ts';

export interface BuildAppOptions {
  config: TillConfig;
  /** The clock; tests pin it. Defaults to the system time. */
  now?: () => Date;
  /** Where JSON log lines go; defaults to stdout. Tests capture them to check what is logged. */
  logStream?: { write(line: string): void };
}

/** Fastify's own options: the same in tests and production, derived from the config. */
export function fastifyOptions(config: TillConfig, logStream?: BuildAppOptions['logStream']): FastifyServerOptions {
  return {
    logger: {
      level: config.logLevel,
      ...(logStream && { stream: logStream }),
      // Tokens must never reach a log. Bodies are never logged (Fastify does not by default).
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
    bodyLimit: config.bodyLimitBytes,
  };
}

/**
 * Till's server as one plugin: external plugins (docs, static PWA), then our own decorators
 * (clock, ledger, device auth, error handling), then the routes. Wrapped with fastify-plugin
 * so its error and not-found handlers are the root ones.
 */
async function tillApp(fastify: FastifyInstance, options: BuildAppOptions): Promise<void> {
  await fastify.register(swagger);
  await fastify.register(staticPwa, { pwaDir: options.config.pwaDir });

  await fastify.register(clock, options.now ? { now: options.now } : {});
  await fastify.register(ledger, { database: options.config.database });
  await fastify.register(deviceAuth);
  await fastify.register(errorHandling);
  await fastify.register(securityHeaders);

  await fastify.register(apiRoutes, { prefix: API_PREFIX });
}

/**
 * Builds the app, ready to `listen` or `inject`. Opening the ledger (and migrating it) happens
 * here, not at import time. Close it with `app.close()`, which also closes the database.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(options.config, options.logStream)).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox validates the shared schemas as written: no type coercion and no silent removal
  // of unknown members in bodies (Ajv's Fastify defaults would do both, and would change a
  // sale's content before it is hashed).
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  await app.register(fp(tillApp, { name: 'till' }), options);
  await app.ready();
  return app;
}
