import type { LatencySummary } from './metrics.ts';
import type { StormResult } from './run-storm.ts';

const ms = (summary: LatencySummary) =>
  summary.count === 0 ? '—' : `p50 ${summary.p50} · p99 ${summary.p99} · max ${summary.max} ms (n=${summary.count})`;
const seconds = (value: number | null) => (value === null ? 'not reached' : `${value} s`);
const mib = (value: number | null) => (value === null ? '?' : `${value} MiB`);

/** The storm's figures as a table for people. */
export function stormTable(result: StormResult): string {
  const { ingest, captures, server, verification } = result;
  const config = result.config;
  const push = server.load?.push;
  const rows: [string, string, string][] = [
    ['tills × sales', `${config.tills} × ${config.salesPerTill} = ${config.totalSales}`, `batch ${config.batchSize}`],
    ['stored card payments', String(config.cardPayments), `share ${config.cardShare}`],
    [
      'gateway limit / worker',
      `${config.gatewayRatePerSecond}/s (burst ${config.gatewayBurst}) / ${config.workerRatePerSecond}/s`,
      '',
    ],
    [
      'server limits',
      push ? `${push.maxConcurrent} pushes in flight, queue ${push.queueLimit}` : 'push shedding off',
      '',
    ],
    ['prepare (enroll, seal, load)', `${result.pregenerateSeconds} s`, 'before the release, not timed'],
    ['all sales in', seconds(ingest.allInSeconds), 'from the release'],
    ['sales/s ingested', `${ingest.salesPerSecond ?? '—'} avg, ${ingest.peakSalesPerSecond} peak (1 s)`, ''],
    [
      'server idle, tills backing off',
      `${ingest.pushIdleSecondsBeforeAllIn} s`,
      'no push in flight or queued while sales were still unsent',
    ],
    [
      'push answers',
      `${ingest.pushes.total}: ${ingest.pushes.ok} × 200, ${ingest.pushes.shed429} × 429`,
      `${(ingest.pushes.shedShare * 100).toFixed(1)} % shed`,
    ],
    [
      '5xx / timeouts / network',
      `${ingest.pushes.serverErrors5xx} / ${ingest.pushes.timeouts} / ${ingest.pushes.networkErrors}`,
      'must be 0 / 0 / 0',
    ],
    ['push latency, admitted', ms(ingest.latencyMs.admitted), ''],
    ['push latency, all answers', ms(ingest.latencyMs.allAnswers), 'incl. 429s'],
    ['429 latency', ms(ingest.latencyMs.shed), ''],
    [
      'Retry-After given',
      ingest.retryAfterSeconds.count === 0
        ? '—'
        : `p50 ${ingest.retryAfterSeconds.p50} · p99 ${ingest.retryAfterSeconds.p99} · max ${ingest.retryAfterSeconds.max} s`,
      '',
    ],
    ['all captured', seconds(captures.allCapturedSeconds), `${captures.captured}/${captures.expected}`],
    ['gateway 429s to the worker', String(captures.gatewayRateLimitedAttempts), ''],
    ['server peak RSS (VmHWM)', mib(server.peakRssMiB), `sampled peak at t+${server.sampledPeakAtSeconds} s`],
    ['server CPU', server.cpuSeconds === null ? '?' : `${server.cpuSeconds} s`, 'from the release to the end'],
    [
      'health during the storm',
      `${result.health.polls} polls, ${result.health.failures} failed`,
      ms(result.health.latencyMs),
    ],
    ['simulator / driver peak RSS', `${mib(result.simulator.peakRssMiB)} / ${mib(result.driver.peakRssMiB)}`, ''],
    [
      'driver CPU / event-loop delay',
      `${result.driver.cpuSeconds} s / p99 ${result.driver.eventLoopDelayMs.p99} · max ${result.driver.eventLoopDelayMs.max} ms`,
      `the ${config.tills} tills share the cores with the server`,
    ],
  ];
  if (verification) {
    rows.push(
      [
        'sales in SQL',
        `${verification.sales} (distinct ${verification.distinctSales})`,
        `flagged ${verification.flaggedSales}`,
      ],
      [
        'payments',
        Object.entries(verification.paymentsByState)
          .map(([state, n]) => `${state} ${n}`)
          .join(', ') || 'none',
        `gateway charges ${verification.gatewayCharges}, duplicates ${verification.duplicateCharges}`,
      ],
      [
        'checks',
        Object.entries(verification.checks)
          .filter(([, ok]) => !ok)
          .map(([name]) => `FAILED ${name}`)
          .join(', ') || 'all passed',
        '',
      ],
    );
  }
  rows.push(['verdict', result.pass ? 'PASS' : 'FAIL', result.timedOut ? 'stopped at the time bound' : '']);
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const lines = [
    `\nreconnect storm (${result.machine}; load average ${result.loadAverage.atRelease} at the release, ${result.loadAverage.atEnd} at the end)`,
    `client: ${result.client}`,
  ];
  for (const [label, value, note] of rows) lines.push(`  ${label.padEnd(width)}  ${value.padEnd(valueWidth)}  ${note}`);
  if (result.problems.length > 0) lines.push('', 'problems seen:', ...result.problems.map((problem) => `  ${problem}`));
  return lines.join('\n');
}
