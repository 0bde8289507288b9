import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResult, readResults, repoRoot, resultsDir, type Verdict } from './support/results.ts';

/** The parts of `npm run bench`, in the order they run. */
export const PARTS = ['commit', 'start', 'ingest', 'drain', 'pouchdb'] as const;
export type Part = (typeof PARTS)[number];

const TITLES: Record<Part, string> = {
  commit: 'Till commit — one sale recorded in IndexedDB (Chromium, Dexie vs plain IndexedDB)',
  start: 'App start offline, and the sell screen’s JavaScript',
  ingest: 'Ingest — push endpoint vs plain SQLite inserts',
  drain: 'Drain — stored card payments against a rate-limited gateway',
  pouchdb: 'The classic peer — PouchDB replication vs Till push',
};

/** What happened to a part in this invocation of the runner. */
export interface PartOutcome {
  part: Part;
  status: 'ran' | 'failed' | 'not run';
  seconds?: number;
  note?: string;
}

/** bench-drain.ts predates the common result shape: its figures become verdicts here. */
interface DrainResult {
  at: string;
  machine: string;
  n: number;
  gatewayRatePerSecond: number;
  gatewayBurst: number;
  workerRatePerSecond: number;
  concurrency: number;
  elapsedSeconds: number;
  floorSeconds: number;
  goalSeconds: number;
  share429: number;
  duplicateCharges: number;
  duplicateIntents: number;
  captured: number;
}

function drainAsResult(d: DrainResult): BenchResult {
  return {
    at: d.at,
    machine: d.machine,
    method: `N=${d.n} stored card payments, gateway simulator limited to ${d.gatewayRatePerSecond}/s (burst ${d.gatewayBurst}), worker at ${d.workerRatePerSecond}/s with ${d.concurrency} in flight; one run`,
    verdicts: [
      {
        what: `drain of ${d.n} payments`,
        figure: `${d.elapsedSeconds} s`,
        baseline: `floor N/L = ${d.floorSeconds} s`,
        goal: `≤ 1.1·N/L + 2 s = ${d.goalSeconds} s`,
        met: d.elapsedSeconds <= d.goalSeconds,
      },
      {
        what: 'duplicate charges (extra gateway intents)',
        figure: `${d.duplicateCharges} (${d.duplicateIntents})`,
        baseline: `${d.captured} of ${d.n} captured`,
        goal: '0',
        met: d.duplicateCharges === 0 && d.duplicateIntents === 0 && d.captured === d.n,
      },
      {
        what: 'gateway answers that were 429',
        figure: `${(d.share429 * 100).toFixed(2)} %`,
        baseline: '—',
        goal: '≤ 1 %',
        met: d.share429 <= 0.01,
      },
    ],
  };
}

export function latest(part: Part): BenchResult | undefined {
  if (part === 'drain') {
    const entry = readResults<DrainResult>('drain').at(-1);
    return entry ? drainAsResult(entry) : undefined;
  }
  return readResults(part).at(-1);
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

const cell = (text: string) => text.replaceAll('|', '\\|');
const mark = (met: boolean | null) => (met === null ? '—' : met ? 'met' : '**missed**');

/** Writes bench-results/SUMMARY.md from the last entry of each result file; returns its path. */
export function writeSummary(outcomes: readonly PartOutcome[], startedAt: Date): string {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain']).length > 0;
  const lines: string[] = [
    '# Benchmark summary',
    '',
    `Made by \`npm run bench\` on ${startedAt.toISOString()} at commit ${commit || 'unknown'}${dirty ? ' (with uncommitted changes)' : ''}.`,
    'Figures are printed and recorded, never asserted. How to read them: [scripts/bench/README.md](../scripts/bench/README.md).',
    'Every part appends its raw figures to `bench-results/<part>.json`; this page shows the last entry of each.',
    '',
    '| part | this run | when measured |',
    '| --- | --- | --- |',
  ];
  const sections: string[] = [];
  for (const part of PARTS) {
    const outcome = outcomes.find((o) => o.part === part) ?? { part, status: 'not run' as const };
    const result = latest(part);
    const ran = outcome.status === 'ran' ? `ran in ${Math.round(outcome.seconds ?? 0)} s` : outcome.status;
    lines.push(`| ${part} | ${cell(`${ran}${outcome.note ? ` — ${outcome.note}` : ''}`)} | ${result?.at ?? 'never'} |`);
    sections.push('', `## ${TITLES[part]}`, '');
    if (!result) {
      sections.push('No result recorded yet.');
      continue;
    }
    if (outcome.status !== 'ran') sections.push(`_Not re-run this time: figures from ${result.at}._`, '');
    sections.push('| figure | measured | baseline / context | goal | |', '| --- | --- | --- | --- | --- |');
    for (const v of result.verdicts as Verdict[]) {
      sections.push(`| ${cell(v.what)} | ${cell(v.figure)} | ${cell(v.baseline)} | ${cell(v.goal)} | ${mark(v.met)} |`);
    }
    if (result.details) {
      const { header, rows } = result.details;
      sections.push('', `| ${header.map(cell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
      for (const row of rows) sections.push(`| ${row.map(cell).join(' | ')} |`);
    }
    sections.push('', `Method: ${result.method}. Machine: ${result.machine}.`);
  }
  const file = join(resultsDir, 'SUMMARY.md');
  writeFileSync(file, `${[...lines, ...sections].join('\n')}\n`);
  return file;
}
