import type { DayReport } from '@till/shared/core';

/** The answer a manager wants first: does the day balance, and if not, how much needs a look. */
export function ReportVerdict({ report }: { report: DayReport }) {
  const failing = report.checks.filter((check) => !check.ok).length;
  return (
    <section
      className={`mo-verdict mo-verdict--${report.balances ? 'ok' : 'bad'}`}
      data-testid="report-verdict"
      aria-live="polite"
    >
      <span className="mo-verdict__mark" aria-hidden="true">
        {report.balances ? '✓' : '✗'}
      </span>
      <span>
        {report.balances
          ? 'Balances'
          : `Does not balance — ${failing} check${failing === 1 ? ' needs' : 's need'} attention`}
      </span>
    </section>
  );
}

/** Every named check of the day with ✓ or ✗ and the server's detail. */
export function ReportChecks({ checks }: { checks: DayReport['checks'] }) {
  return (
    <section className="m-card mo-report-section">
      <h2>Checks</h2>
      <ul className="mo-checks">
        {checks.map((check) => (
          <li
            key={check.id}
            className={`mo-checks__item mo-checks__item--${check.ok ? 'ok' : 'bad'}`}
            data-testid={`report-check-${check.id}`}
            data-ok={check.ok}
          >
            <span className="mo-checks__mark" role="img" aria-label={check.ok ? 'passes' : 'fails'}>
              {check.ok ? '✓' : '✗'}
            </span>
            <span className="mo-checks__label">{check.label}</span>
            <span className="mo-checks__detail">{check.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
