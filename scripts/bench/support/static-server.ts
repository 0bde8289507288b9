import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticFile {
  body: string | Uint8Array;
  type: string;
}

/**
 * Serves a few in-memory files on 127.0.0.1 (a free port). Cross-origin isolated (COOP/COEP),
 * which gives the page `performance.now()` at 5 µs instead of 100 µs resolution.
 */
export async function serveStatic(files: Record<string, StaticFile>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = files[path];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': file.type,
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
