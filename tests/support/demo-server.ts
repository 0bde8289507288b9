import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What the demo start script prints on its `TILL_READY` line. */
export interface DemoReady {
  url: string;
  enrollmentCode: string;
  dataDir: string;
  database: string;
  /** The gateway simulator the demo started (Stripe-compatible API) and its fault-control port. */
  gatewayUrl?: string;
  gatewayControlUrl?: string;
  /** The manager console and the demo owner's sign-in. */
  managerUrl: string;
  managerEmail: string;
  managerPassword: string;
}

export interface DemoServer extends DemoReady {
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the real demo server (`scripts/start-demo.ts`) as its own process on a random loopback
 * port and a fresh data directory, exactly as `npm start` does minus the build.
 */
export async function startDemoServer(options: { timeoutMs?: number } = {}): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'till-e2e-'));
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(process.execPath, [tsxCli, 'scripts/start-demo.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TILL_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });

  const ready = await new Promise<DemoReady>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo server did not print TILL_READY in time:\n${output}`)),
      options.timeoutMs ?? 60_000,
    );
    const onData = () => {
      const line = output.split('\n').find((text) => text.startsWith('TILL_READY '));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolveReady(JSON.parse(line.slice('TILL_READY '.length)) as DemoReady);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo server exited with ${code} before it was ready:\n${output}`));
    });
  });

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { ...ready, process: child, output: () => output, stop };
}
