import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DatabaseConfig } from '../../config.ts';
import { type RetryNotice, realRetryEnvironment } from '../../store/mssql/transient.ts';
import { type Ledger, openLedger } from '../../store/open-ledger.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SQL ledger: devices, catalog, sales, batches (and the admin operations on them). */
    ledger: Ledger;
  }
}

/** Opens (and migrates) the ledger when the app boots; closes it after the last request. */
async function ledger(fastify: FastifyInstance, options: { database: DatabaseConfig }): Promise<void> {
  // Azure SQL: each transaction re-run after a transient fault is logged (error number only).
  const retryEnvironment = {
    ...realRetryEnvironment,
    onRetry: (retry: RetryNotice) => fastify.log.warn({ retry }, 'ledger transaction retried after a transient fault'),
  };
  const store = await openLedger(options.database, { mssql: { retryEnvironment } });
  fastify.decorate('ledger', store);
  fastify.addHook('onClose', async () => {
    await store.close();
  });
}

export default fp(ledger, { name: 'ledger' });
