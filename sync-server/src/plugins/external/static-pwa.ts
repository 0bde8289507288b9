import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether the built PWA is served, and from where. */
    pwa: { available: boolean; dir: string };
  }
}

const LONG_CACHE = 'public, max-age=31536000, immutable';

/**
 * How long a browser may keep a file. Vite puts content-hashed files under `/assets/`: they
 * never change, so cache them for a year. Everything else (index.html, sw.js, the manifest,
 * icons) revalidates on every load — a stale sw.js or index.html would pin an old till.
 */
export function cacheControlFor(filePath: string): string {
  return filePath.includes(`${sep}assets${sep}`) ? LONG_CACHE : 'no-cache';
}

/** Serves the built PWA when PWA_DIR holds one; otherwise the server runs API-only. */
async function staticPwa(fastify: FastifyInstance, options: { pwaDir: string }): Promise<void> {
  const available = existsSync(join(options.pwaDir, 'index.html'));
  fastify.decorate('pwa', { available, dir: options.pwaDir });
  if (!available) {
    fastify.log.warn({ pwaDir: options.pwaDir }, 'PWA not built: serving the API only (run npm run build)');
    return;
  }
  await fastify.register(fastifyStatic, {
    root: options.pwaDir,
    prefix: '/',
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      reply.header('Cache-Control', cacheControlFor(filePath));
    },
  });
}

export default fp(staticPwa, { name: 'static-pwa' });
