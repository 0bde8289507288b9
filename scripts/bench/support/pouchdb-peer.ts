import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The classic peer, kept out of the root install: pouchdb-server 4.2.0 (2020) pins the
 * PouchDB 7 stack, express 4 and sqlite3 4, so it lives in `pouchdb-peer/` with its own
 * package.json; the pouchdb-node 9 client lives in `pouchdb-client/`. Both are installed with
 * `npm install --prefix` the first time the benchmark runs (their node_modules are ignored).
 */
const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const PEER_DIR = join(benchDir, 'pouchdb-peer');
export const CLIENT_DIR = join(benchDir, 'pouchdb-client');

/** Installs a folder's own dependencies once; throws with npm's last lines when it cannot. */
export function ensureInstalled(dir: string, probe: string): void {
  if (existsSync(join(dir, 'node_modules', probe, 'package.json'))) return;
  console.log(`installing ${dir} (npm install --prefix; first run only)…`);
  try {
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    const tail = `${output.stdout ?? ''}${output.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`npm install --prefix ${dir} failed:\n${tail}`);
  }
}

/** What the benchmark uses of pouchdb-node's API. */
export interface PouchDatabase {
  bulkDocs(docs: object[]): Promise<{ ok?: boolean; error?: string }[]>;
  info(): Promise<{ doc_count: number }>;
  close(): Promise<void>;
  destroy(): Promise<void>;
}
export interface ReplicationResult {
  ok: boolean;
  docs_read: number;
  docs_written: number;
  errors: unknown[];
}
export interface PouchStatic {
  new (name: string, options?: Record<string, unknown>): PouchDatabase;
  replicate(
    source: PouchDatabase,
    target: PouchDatabase,
    options: { batch_size: number; batches_limit?: number },
  ): Promise<ReplicationResult>;
  fetch(url: string, options?: Record<string, unknown>): Promise<unknown>;
}

export function loadPouchClient(): PouchStatic {
  ensureInstalled(CLIENT_DIR, 'pouchdb-node');
  return createRequire(join(CLIENT_DIR, 'package.json'))('pouchdb-node') as PouchStatic;
}

/**
 * A remote database handle; with `keepAlive`, requests go through one keep-alive agent
 * (pouchdb-node 9's node-fetch otherwise opens a new TCP connection per request).
 */
export function remoteDatabase(PouchDB: PouchStatic, url: string, keepAlive: boolean): PouchDatabase {
  if (!keepAlive) return new PouchDB(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  return new PouchDB(url, {
    fetch: (target: string, options: Record<string, unknown>) => PouchDB.fetch(target, { ...options, agent }),
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export interface PouchServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * pouchdb-server 4.2.0 (leveldb databases in a temp dir) on 127.0.0.1, with its log level
 * `none` and no stdout log tailing, so nothing is written per request. `cpu` pins it with taskset.
 */
export async function startPouchServer(options: { cpu?: number } = {}): Promise<PouchServer> {
  ensureInstalled(PEER_DIR, 'pouchdb-server');
  const dir = mkdtempSync(join(tmpdir(), 'till-bench-pouchdb-server-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ log: { level: 'none', file: join(dir, 'log.txt') } }));
  const port = await freePort();
  const bin = join(PEER_DIR, 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server');
  const command = [process.execPath, bin, '--host', '127.0.0.1', '--port', String(port), '--dir', dir];
  const args = [...command, '--config', join(dir, 'config.json'), '--no-stdout-logs'];
  const [file, ...rest] = options.cpu === undefined ? args : ['taskset', '-c', String(options.cpu), ...args];
  const child: ChildProcess = spawn(file as string, rest, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`pouchdb-server did not start:\n${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
