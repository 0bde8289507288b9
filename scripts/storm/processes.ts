import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { API_PREFIX } from '@till/shared';

/** The server as an operator runs it: `sync-server/src/server.ts`, configured by environment. */
const SERVER_MAIN = fileURLToPath(new URL('../../sync-server/src/server.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

export interface ServerProcess {
  url: string;
  pid: number;
  /** The last lines it wrote (its warnings and errors), for the report. */
  output(): string[];
  /** SIGTERM (graceful: in-flight pushes finish), SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** A free TCP port on loopback (the server's PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server process and waits until `GET /health` answers 200 (at most `readyMs`).
 * `logFile` receives everything it writes (its JSON log lines).
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { readyMs?: number; logFile?: string } = {},
): Promise<ServerProcess> {
  const readyMs = options.readyMs ?? 30_000;
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, SERVER_MAIN], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (options.logFile) {
    const file = createWriteStream(options.logFile);
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    pid: child.pid ?? -1,
    output: () => [...lines],
    stop: (graceMs = 15_000) => stopChild(child, exited, graceMs),
  };

  const deadline = Date.now() + readyMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline && !gone) {
    try {
      const health = await fetch(`${url}${API_PREFIX}/health`);
      if (health.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop(1000);
  throw new Error(`the server did not become ready; its output:\n${lines.slice(-20).join('\n')}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** VmRSS and VmHWM (peak RSS) of a process, in MiB, from /proc; null when it is gone. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; null when it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Polls a process's RSS every `everyMs`: the peak and when it was reached. */
export class MemorySampler {
  peakRssMiB = 0;
  peakAtMs = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly pid: number,
    private readonly since: number,
  ) {}

  start(everyMs = 250): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sample(): void {
    const memory = memoryOf(this.pid);
    if (memory && memory.rssMiB > this.peakRssMiB) {
      this.peakRssMiB = memory.rssMiB;
      this.peakAtMs = Date.now() - this.since;
    }
  }
}
