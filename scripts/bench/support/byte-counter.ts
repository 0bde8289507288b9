import { connect, createServer, type Socket } from 'node:net';

export interface WireCount {
  /** Bytes client → server (requests). */
  up: number;
  /** Bytes server → client (responses). */
  down: number;
  /** TCP connections opened. */
  connections: number;
}

export interface CountingProxy {
  /** Base URL (http://127.0.0.1:port) that reaches the target through the proxy. */
  url: string;
  counts(): WireCount;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that forwards every connection to `target` and counts the bytes in
 * both directions (HTTP headers and bodies, as they are on the wire) and the connections.
 */
export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  let count: WireCount = { up: 0, down: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    count.connections += 1;
    const upstream = connect(target.port, target.host);
    // No Nagle on either leg: a proxy must not add the 40 ms delayed-ACK stalls a client and
    // server talking directly would not have.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      count.up += chunk.length;
    });
    upstream.on('data', (chunk: Buffer) => {
      count.down += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    counts: () => ({ ...count }),
    reset() {
      count = { up: 0, down: 0, connections: 0 };
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
