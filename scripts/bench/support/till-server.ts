import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_PREFIX, type EnrollResponse } from '@till/shared';
import { repoRoot } from './results.ts';

export interface TillServer {
  url: string;
  enrollmentCode: string;
  database: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The real server as its own process: `scripts/start-demo.ts` (the demo store seeded, a fresh
 * enrollment code, PORT=0 on 127.0.0.1, a temp data dir), with the production settings —
 * SQLite WAL + synchronous=FULL, request validation, load shedding — and `LOG_LEVEL=warn` so
 * no line is logged per request. One Node process (TypeScript through `--import tsx`); `cpu`
 * pins it to one core with taskset; `nodeFlags` go to Node (e.g. `--cpu-prof`).
 */
export async function startTillServer(
  options: { cpu?: number; env?: Record<string, string>; nodeFlags?: string[] } = {},
): Promise<TillServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'till-bench-server-'));
  const command = [process.execPath, ...(options.nodeFlags ?? []), '--import', 'tsx', 'scripts/start-demo.ts'];
  const [file, ...args] = options.cpu === undefined ? command : ['taskset', '-c', String(options.cpu), ...command];
  const child = spawn(file as string, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      TILL_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PWA_DIR: join(dataDir, 'no-pwa'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = await new Promise<{ url: string; enrollmentCode: string; database: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the till server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((text) => text.startsWith('TILL_READY '));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('TILL_READY '.length)));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the till server exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    ...ready,
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Enrolls a device with the server's code over HTTP, as a till does. */
export async function enrollDevice(baseUrl: string, code: string, deviceName = 'Bench till'): Promise<EnrollResponse> {
  const response = await fetch(`${baseUrl}${API_PREFIX}/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName, appVersion: 'bench' }),
  });
  if (response.status !== 201) throw new Error(`enroll failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as EnrollResponse;
}
