import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What every benchmark shares: where results go, how a run is described, and the statistics.
 * Results are appended to `bench-results/<part>.json` (an array, oldest first), so figures can
 * be compared across commits; `SUMMARY.md` is made from the last entry of each file.
 */

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const resultsDir = join(repoRoot, 'bench-results');

/** One figure held against its goal, as the summary shows it. `met` is null when there is no goal. */
export interface Verdict {
  what: string;
  figure: string;
  baseline: string;
  goal: string;
  met: boolean | null;
}

/** The part of every result file entry the summary relies on. */
export interface BenchResult {
  at: string;
  machine: string;
  verdicts: Verdict[];
  /** How the figures were taken (runs, medians, pinning), for a person reading the summary. */
  method: string;
  /** A table of the figures behind the verdicts, shown under them in SUMMARY.md. */
  details?: { header: string[]; rows: string[][] };
}

export function machine(): string {
  const [cpu] = cpus();
  return `${cpus().length} cpu (${cpu?.model.trim() ?? 'unknown'}), node ${process.version}`;
}

export function resultFile(part: string): string {
  return join(resultsDir, `${part}.json`);
}

export function readResults<T = BenchResult>(part: string): T[] {
  const file = resultFile(part);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T[]) : [];
}

/** Appends one run's figures to `bench-results/<part>.json`; returns the file. */
export function appendResult<T extends BenchResult>(part: string, result: T): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = resultFile(part);
  writeFileSync(file, `${JSON.stringify([...readResults(part), result], null, 2)}\n`);
  return file;
}

/** Nearest-rank percentile (p in 0..100) of values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function distribution(values: readonly number[], digits = 2): Distribution {
  const sum = values.reduce((total, value) => total + value, 0);
  return {
    n: values.length,
    p50: round(percentile(values, 50), digits),
    p95: round(percentile(values, 95), digits),
    p99: round(percentile(values, 99), digits),
    mean: round(values.length === 0 ? Number.NaN : sum / values.length, digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
  };
}

export function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

/** Bytes in kB of 1000 bytes, as Vite and npm print sizes. */
export function kB(bytes: number): string {
  return `${round(bytes / 1000, 1)} kB`;
}

/** Prints rows of [label, value, note] as an aligned table under a title. */
export function printTable(title: string, rows: readonly (readonly [string, unknown, string?])[]): void {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => String(value).length));
  console.log(`\n${title}`);
  for (const [label, value, note] of rows) {
    console.log(`  ${label.padEnd(labelWidth)}  ${String(value).padEnd(valueWidth)}  ${note ?? ''}`.trimEnd());
  }
}

export function printVerdicts(verdicts: readonly Verdict[]): void {
  printTable(
    'verdicts',
    verdicts.map((v) => [v.what, v.figure, `${v.met === null ? '' : v.met ? 'MET ' : 'MISSED '}goal ${v.goal}`]),
  );
}

/** Parses a positive integer option, naming it in the error. */
export function positiveInt(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
}
