import { useState } from 'react';
import '../manage-ops.css';
import { DateRangeFields } from '../exports/DateRangeFields.tsx';
import { type DayRange, storeToday } from '../exports/days.ts';
import { ExportLinks } from '../exports/ExportLinks.tsx';
import type { PageProps } from '../page-props.ts';

/** CSV downloads for a range of store-time days, and the way to the end-of-day report. */
export function ExportsPage({ store, navigate }: PageProps) {
  const [range, setRange] = useState<DayRange>(() => {
    const today = storeToday(store.timezone);
    return { from: today, to: today };
  });
  return (
    <div className="m-page mo-page">
      <div className="m-page__head">
        <h1>Exports</h1>
      </div>
      <div className="m-toolbar">
        <DateRangeFields range={range} onChange={setRange} idPrefix="exports" />
      </div>
      <p className="m-muted mo-note">
        Days are store days ({store.timezone}). Money is given in minor units and in {store.currency}; no card numbers
        or gateway tokens are ever exported.
      </p>
      <ExportLinks storeId={store.id} range={range} />
      <section className="m-card mo-export-report">
        <div>
          <h2>End-of-day report</h2>
          <p className="m-muted">
            The printable reconciliation of one day: till ↔ server ↔ gateway, card outcomes, drawers, with a verdict.
          </p>
        </div>
        <button
          type="button"
          className="m-btn"
          data-testid="export-report"
          onClick={() => navigate('report', { date: range.to })}
        >
          End-of-day report for {range.to}
        </button>
      </section>
    </div>
  );
}
