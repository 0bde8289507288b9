import '../manage-ops.css';
import { ShiftCards } from '../drawers/ShiftCards.tsx';
import { storeToday } from '../exports/days.ts';
import type { PageProps } from '../page-props.ts';
import { DeviceCoverage } from '../report/DeviceCoverage.tsx';
import { CardOutcomesTable, DeclinedFollowUps, LedgerFigures, SalesFigures } from '../report/ReportFigures.tsx';
import { ReportChecks, ReportVerdict } from '../report/ReportVerdict.tsx';
import { useDayReport } from '../report/use-day-report.ts';
import { DataState } from '../ui/DataState.tsx';
import { dateTime } from '../ui/format.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The printable end-of-day reconciliation (MGR-11). Printing hides the console's chrome (see
 * `.mo-report` in manage-ops.css), so the paper holds only the report.
 */
export function ReportPage({ store, navigate, params }: PageProps) {
  const asked = params.get('date');
  const date = asked !== null && DAY.test(asked) ? asked : storeToday(store.timezone);
  const query = useDayReport(store.id, date);
  return (
    <div className="m-page mo-page mo-report">
      <div className="m-page__head mo-no-print">
        <h1>End-of-day report</h1>
        <div className="m-field mo-inline-field">
          <label htmlFor="report-date">Day</label>
          <input
            id="report-date"
            data-testid="report-date"
            type="date"
            value={date}
            onChange={(event) => {
              if (DAY.test(event.target.value)) navigate('report', { date: event.target.value });
            }}
          />
        </div>
        <button
          type="button"
          className="m-btn m-btn--primary"
          data-testid="report-print"
          disabled={query.data === undefined}
          onClick={() => window.print()}
        >
          Print
        </button>
      </div>
      <DataState query={query}>
        {(report) => {
          const format = { currency: report.currency, locale: store.locale, timezone: report.timezone };
          return (
            <>
              <header className="mo-report-head">
                <h2>
                  {report.storeName} <span className="m-muted">({report.storeCode})</span>
                </h2>
                <p>
                  End-of-day report for <strong data-testid="report-day">{report.date}</strong> ({report.timezone}) ·
                  generated {dateTime(report.generatedAt, format)}
                </p>
              </header>
              <ReportVerdict report={report} />
              <ReportChecks checks={report.checks} />
              <div className="m-grid m-grid--wide mo-report-grid">
                <SalesFigures report={report} store={format} />
                <CardOutcomesTable report={report} store={format} />
                <DeclinedFollowUps report={report} store={format} />
                <LedgerFigures report={report} store={format} />
              </div>
              <DeviceCoverage devices={report.devices} store={format} />
              <section className="m-card mo-report-section">
                <h2>Drawers</h2>
                {report.drawers.length === 0 ? (
                  <p className="m-muted">No drawer was opened this day.</p>
                ) : (
                  <ShiftCards shifts={report.drawers} store={format} />
                )}
              </section>
            </>
          );
        }}
      </DataState>
    </div>
  );
}
