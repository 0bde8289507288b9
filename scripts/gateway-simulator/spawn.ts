import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The simulator as its own process, for tests that want a real process boundary. */
export interface SimulatorProcess {
  apiUrl: string;
  controlUrl: string;
  pid: number;
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
  /** SIGKILL: no clean shutdown, as in a crash. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  dataFile: string;
  /** 0 (default) picks a free port. */
  apiPort?: number;
  controlPort?: number;
  /** How long to wait for `GATEWAY_READY`. Default 15 s. */
  readyTimeoutMs?: number;
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
/** tsx's loader by absolute URL, so the child starts whatever the caller's working directory. */
const TSX_LOADER = import.meta.resolve('tsx');

/** Starts `main.ts` under tsx and waits for its `GATEWAY_READY` line. */
export function spawnGatewaySimulator(options: SpawnOptions): Promise<SimulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      TSX_LOADER,
      MAIN,
      '--api-port',
      String(options.apiPort ?? 0),
      '--control-port',
      String(options.controlPort ?? 0),
      '--data-file',
      options.dataFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway simulator not ready in time; stderr: ${stderr}`));
    }, options.readyTimeoutMs ?? 15_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway simulator exited (${code}) before ready; stderr: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith('GATEWAY_READY ')) return;
      clearTimeout(timer);
      const ready = JSON.parse(line.slice('GATEWAY_READY '.length)) as { apiUrl: string; controlUrl: string };
      resolve(handle(child, exited, ready));
    });
  });
}

function handle(
  child: ChildProcess,
  exited: Promise<number | null>,
  ready: { apiUrl: string; controlUrl: string },
): SimulatorProcess {
  return {
    apiUrl: ready.apiUrl,
    controlUrl: ready.controlUrl,
    pid: child.pid ?? -1,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
