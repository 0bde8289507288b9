/** What the tills saw of their pushes: every answer's status and latency, as it happened. */

export type PushAnswer = 'ok' | 'shed' | 'server_error' | 'client_error' | 'timeout' | 'network_error';

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted numbers (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

export class PushMetrics {
  private readonly latencies: Record<PushAnswer, number[]> = {
    ok: [],
    shed: [],
    server_error: [],
    client_error: [],
    timeout: [],
    network_error: [],
  };
  /** Sales acknowledged per second since the release (index = whole seconds). */
  private readonly salesPerSecond: number[] = [];
  readonly retryAfterSeconds: number[] = [];
  /** A few examples of what went wrong, for the report. */
  readonly problems: string[] = [];
  lastAckAt = 0;

  constructor(private readonly releasedAt: () => number) {}

  record(answer: PushAnswer, latencyMs: number, detail?: string): void {
    this.latencies[answer].push(latencyMs);
    if (detail !== undefined && answer !== 'ok' && answer !== 'shed' && this.problems.length < 20) {
      this.problems.push(`${answer}: ${detail}`);
    }
  }

  acknowledged(sales: number, at: number): void {
    const second = Math.max(0, Math.floor((at - this.releasedAt()) / 1000));
    this.salesPerSecond[second] = (this.salesPerSecond[second] ?? 0) + sales;
    this.lastAckAt = Math.max(this.lastAckAt, at);
  }

  count(answer: PushAnswer): number {
    return this.latencies[answer].length;
  }

  total(): number {
    return Object.values(this.latencies).reduce((sum, list) => sum + list.length, 0);
  }

  latency(...answers: PushAnswer[]): LatencySummary {
    return summarise(answers.flatMap((answer) => this.latencies[answer]));
  }

  peakSalesPerSecond(): number {
    return Math.max(0, ...this.timeline());
  }

  /** Sales acknowledged in each second since the release (a second with none is 0). */
  timeline(): number[] {
    return Array.from(this.salesPerSecond, (sales) => sales ?? 0);
  }
}
