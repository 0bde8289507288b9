import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current time. Injected so tests can pin it (received_at, code expiry). */
    now: () => Date;
    /** Random numbers in [0, 1) (backoff jitter). Injected so tests can pin them. */
    random: () => number;
  }
}

async function clock(fastify: FastifyInstance, options: { now?: () => Date; random?: () => number }): Promise<void> {
  fastify.decorate('now', options.now ?? (() => new Date()));
  fastify.decorate('random', options.random ?? Math.random);
}

export default fp(clock, { name: 'clock' });
