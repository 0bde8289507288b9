import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileGroup {
  name: string;
  ms: number;
  /** Share of the busy time (idle and process start-up left out). */
  share: number;
}

/** Where self time goes, by what a person would change to make it cheaper. First match wins. */
const GROUPS: { name: string; test: (url: string, fn: string) => boolean }[] = [
  { name: 'idle', test: (_url, fn) => fn === '(idle)' },
  {
    name: 'start-up (loading and compiling modules)',
    test: (url, fn) =>
      url.startsWith('node:internal/modules') ||
      url.includes('/tsx/dist/') ||
      url.startsWith('node:internal/deps/cjs-module-lexer') ||
      url.startsWith('wasm://') ||
      fn.includes('sourceURL') ||
      [
        'compileSourceTextModule',
        'wrapSafe',
        'compileForInternalLoader',
        'readFileUtf8',
        'internalModuleStat',
        'lstat',
        'MessageChannel',
        'receiveMessageOnPort',
      ].includes(fn),
  },
  { name: 'Kysely: building and compiling each query', test: (url) => url.includes('node_modules/kysely/') },
  {
    name: 'better-sqlite3: preparing and running statements (SQLite itself)',
    test: (url) => url.includes('node_modules/better-sqlite3/'),
  },
  { name: 'WebCrypto SHA-256 (crypto.subtle.digest)', test: (url) => url.startsWith('node:internal/crypto') },
  { name: '@till/shared: canonical JSON, hashing, sale math', test: (url) => url.includes('/shared/src/') },
  { name: 'sync-server code (push transaction, chain checks)', test: (url) => url.includes('/sync-server/src/') },
  {
    name: 'Fastify, validation (ajv), JSON parse and serialise',
    test: (url) =>
      /node_modules\/(fastify|@fastify|ajv|secure-json-parse|fast-json-stringify|find-my-way|avvio|light-my-request|fast-uri|typebox)\//.test(
        url,
      ),
  },
  { name: 'garbage collection', test: (_url, fn) => fn === '(garbage collector)' },
  { name: 'V8 native code not attributed to a function ((program))', test: (_url, fn) => fn === '(program)' },
  { name: 'Node internals (HTTP, streams, timers)', test: (url) => url.startsWith('node:') },
  { name: 'other', test: () => true },
];

/** Self time of a .cpuprofile by group, busy time only. */
export function summariseProfile(file: string): { busyMs: number; groups: ProfileGroup[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byGroup = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    const { url, functionName } = node.callFrame;
    const group = GROUPS.find((g) => g.test(url, functionName))?.name ?? 'other';
    byGroup.set(group, (byGroup.get(group) ?? 0) + micros / 1000);
  }
  const excluded = new Set(['idle', 'start-up (loading and compiling modules)']);
  const busyMs = [...byGroup].filter(([name]) => !excluded.has(name)).reduce((sum, [, ms]) => sum + ms, 0);
  const groups = [...byGroup]
    .filter(([name]) => !excluded.has(name))
    .map(([name, ms]) => ({ name, ms: Math.round(ms), share: ms / busyMs }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: Math.round(busyMs), groups };
}

/** The largest .cpuprofile a process wrote into `dir` (the server, not a helper it spawned). */
export function mainProfile(dir: string): string {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name));
  const [largest] = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length);
  if (!largest) throw new Error(`no .cpuprofile in ${dir}`);
  return largest;
}
