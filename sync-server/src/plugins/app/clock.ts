import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current time. Injected so tests can pin it (received_at, code expiry). */
    now: () => Date;
  }
}

async function clock(fastify: FastifyInstance, options: { now?: () => Date }): Promise<void> {
  fastify.decorate('now', options.now ?? (() => new Date()));
}

export default fp(clock, { name: 'clock' });
