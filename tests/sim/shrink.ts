import type { InvariantId } from './evidence.ts';
import type { RunResult } from './run.ts';
import type { Schedule } from './schedule.ts';

export interface ShrinkBudget {
  /** Most runs to spend. */
  runs: number;
  /** Most real ms to spend. */
  ms: number;
}

export interface ShrinkOutcome {
  schedule: Schedule;
  result: RunResult;
  runs: number;
  /** Runs of candidate schedules that failed the same way (each one kept). */
  reductions: number;
}

/**
 * Delta debugging (Zeller's ddmin) over the schedule's steps: drop a chunk, run again, keep the
 * smaller schedule if it still fails on one of the same invariants; halve the chunks when no
 * chunk can go. A run is not fully deterministic (wall-clock interleavings), so a candidate
 * that passes once is simply not taken — the result is a schedule that failed, never one that
 * was only assumed to fail. Stops at the budget and returns the smallest failing schedule found.
 */
export async function shrinkSchedule(
  failing: { schedule: Schedule; result: RunResult },
  run: (schedule: Schedule) => Promise<RunResult>,
  budget: ShrinkBudget,
  log: (line: string) => void,
): Promise<ShrinkOutcome> {
  const target = new Set<InvariantId>(failing.result.violations.map((violation) => violation.invariant));
  const stillFails = (result: RunResult) => result.violations.some((violation) => target.has(violation.invariant));
  const deadline = performance.now() + budget.ms;
  let best = failing;
  let runs = 0;
  let reductions = 0;
  let chunks = 2;
  while (best.schedule.steps.length > 1 && runs < budget.runs && performance.now() < deadline) {
    const steps = best.schedule.steps;
    const size = Math.ceil(steps.length / chunks);
    let reduced = false;
    for (let start = 0; start < steps.length; start += size) {
      if (runs >= budget.runs || performance.now() >= deadline) break;
      const candidate: Schedule = { ...best.schedule, steps: [...steps.slice(0, start), ...steps.slice(start + size)] };
      if (candidate.steps.length === 0) continue;
      runs += 1;
      const result = await run(candidate);
      if (result.error === null && stillFails(result)) {
        log(`  shrink: ${steps.length} → ${candidate.steps.length} steps still fails`);
        best = { schedule: candidate, result };
        reductions += 1;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size <= 1) break;
      chunks = Math.min(steps.length, chunks * 2);
    }
  }
  return { schedule: best.schedule, result: best.result, runs, reductions };
}
