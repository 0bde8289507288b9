import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DatabaseConfig } from '../../config.ts';
import { type Ledger, openLedger } from '../../store/open-ledger.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SQL ledger: devices, catalog, sales, batches (and the admin operations on them). */
    ledger: Ledger;
  }
}

/** Opens (and migrates) the ledger when the app boots; closes it after the last request. */
async function ledger(fastify: FastifyInstance, options: { database: DatabaseConfig }): Promise<void> {
  const store = await openLedger(options.database);
  fastify.decorate('ledger', store);
  fastify.addHook('onClose', async () => {
    await store.close();
  });
}

export default fp(ledger, { name: 'ledger' });
