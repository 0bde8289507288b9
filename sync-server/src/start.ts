import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { TillConfig } from './config.ts';

/** How long in-flight requests get to finish on SIGTERM/SIGINT before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Builds the app, listens, and closes gracefully on a signal or a fatal error: stop accepting,
 * let in-flight pushes commit, let the capture worker record what is in flight, close the
 * database, then run `afterClose` (the demo stops its gateway simulator there). Returns the app
 * and the URL it listens on.
 */
export async function startServer(
  config: TillConfig,
  options: { afterClose?: () => Promise<void> } = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({ config });
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after a fatal error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await options.afterClose?.();
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
