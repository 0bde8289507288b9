/**
 * `npm run bench` — every benchmark in sequence, each as its own process, then
 * bench-results/SUMMARY.md. Figures are printed and recorded, never asserted: a missed goal is
 * reported, not a failure. The exit code is 1 only when a benchmark could not run.
 *
 *   npm run bench                        everything, default sizes (~10 minutes on 2 cores)
 *   npm run bench -- commit start        only these parts (commit|start|ingest|drain|pouchdb)
 *   npm run bench -- drain --full        the drain at N=10000 instead of 2000
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { PARTS, type Part, type PartOutcome, writeSummary } from './summary.ts';
import { readResults, repoRoot } from './support/results.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { full: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  console.log('npm run bench [-- commit|start|ingest|drain|pouchdb ...] [--full]   (see scripts/bench/README.md)');
  process.exit(0);
}
for (const name of positionals) {
  if (!(PARTS as readonly string[]).includes(name))
    throw new Error(`unknown part "${name}": one of ${PARTS.join(', ')}`);
}
const selected: Part[] = positionals.length === 0 ? [...PARTS] : PARTS.filter((part) => positionals.includes(part));

/** Arguments of each part; sizes chosen so that everything fits in about ten minutes. */
const ARGS: Record<Part, string[]> = {
  commit: ['--sales', '500', '--warmup', '50'],
  start: ['--warm', '10', '--cold', '5'],
  ingest: ['--sales', '10000', '--batch', '100', '--runs', '5'],
  drain: values.full ? ['--n', '10000', '--rate', '100'] : ['--n', '2000', '--rate', '100'],
  pouchdb: ['--docs', '10000', '--runs', '5'],
};

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

function runPart(part: Part): Promise<number | null> {
  const script = `scripts/bench/${part}.ts`;
  console.log(`\n━━ ${part}: npx tsx ${script} ${ARGS[part].join(' ')}`);
  const child = spawn(process.execPath, [tsxCli, script, ...ARGS[part]], { cwd: repoRoot, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const startedAt = new Date();
const outcomes: PartOutcome[] = [];
for (const part of selected) {
  const before = readResults(part).length;
  const started = performance.now();
  const code = await runPart(part);
  const seconds = (performance.now() - started) / 1000;
  // drain.ts exits 1 when it misses a goal, after recording its figures: that is a result.
  const recorded = readResults(part).length > before;
  outcomes.push(
    recorded
      ? { part, status: 'ran', seconds }
      : { part, status: 'failed', seconds, note: `exited with ${code} before recording figures` },
  );
}
const summary = writeSummary(outcomes, startedAt);
console.log(`\n━━ done in ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s; summary: ${summary}`);
for (const outcome of outcomes) {
  console.log(`  ${outcome.part.padEnd(8)} ${outcome.status}${outcome.note ? ` (${outcome.note})` : ''}`);
}
if (outcomes.some((outcome) => outcome.status === 'failed')) process.exitCode = 1;
