import { nextDay } from '@till/shared/core';
import type { PageProps } from '../page-props.ts';
import { AlertList } from '../today/AlertList.tsx';
import { CardOutcomesCard } from '../today/CardOutcomesCard.tsx';
import { DeviceTotalsTable } from '../today/DeviceTotalsTable.tsx';
import { previousDay, storeToday } from '../today/day.ts';
import { TodayCharts } from '../today/TodayCharts.tsx';
import { useToday } from '../today/use-today.ts';
import { DataState } from '../ui/DataState.tsx';
import { dateTime, money, plural } from '../ui/format.ts';
import { Stat } from '../ui/Stat.tsx';
import { useNow } from '../ui/use-now.ts';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** One store-time day at a glance: what needs action first, then the figures (all the server's). */
export function TodayPage({ store, params, navigate }: PageProps) {
  const now = useNow(60_000);
  const today = storeToday(store.timezone, new Date(now));
  const asked = params.get('date');
  const date = asked !== null && DAY_PATTERN.test(asked) && asked !== today ? asked : undefined;
  const summary = useToday(store.id, date);
  const shown = date ?? today;
  const goTo = (day: string) => navigate('today', day === today || day === '' ? {} : { date: day }, { replace: true });

  return (
    <div className="m-page">
      <div className="m-page__head">
        <h1>{date === undefined ? 'Today' : shown}</h1>
        <div className="m-toolbar">
          <button type="button" className="m-btn" onClick={() => goTo(previousDay(shown))} aria-label="Previous day">
            ◀
          </button>
          <label className="m-field">
            <span className="m-visually-hidden">Day</span>
            <input
              type="date"
              data-testid="today-date"
              value={shown}
              max={today}
              onChange={(event) => goTo(event.target.value)}
            />
          </label>
          <button
            type="button"
            className="m-btn"
            onClick={() => goTo(nextDay(shown))}
            disabled={shown >= today}
            aria-label="Next day"
          >
            ▶
          </button>
          <button type="button" className="m-btn" onClick={() => goTo(today)} disabled={date === undefined}>
            Today
          </button>
        </div>
      </div>
      <DataState query={summary} loading="Loading the day…">
        {(day) => (
          <>
            <AlertList alerts={day.alerts} date={day.date} navigate={navigate} />
            <div className="m-grid m-grid--stats">
              <Stat label="Sales" value={day.sales.count} testId="today-count" />
              <Stat
                label="Total"
                value={money(day.sales.total, store)}
                testId="today-total"
                detail={day.sales.discount !== 0 ? `${money(day.sales.discount, store)} discounts` : undefined}
              />
              <Stat label="Tax" value={money(day.sales.tax, store)} testId="today-tax" />
              <Stat
                label="Cash"
                value={money(day.tenders.cash.amount, store)}
                testId="today-cash"
                detail={plural(day.tenders.cash.count, 'sale', 'sales')}
              />
              <Stat
                label="Card"
                value={money(day.tenders.card.amount, store)}
                testId="today-card"
                detail={plural(day.tenders.card.count, 'sale', 'sales')}
              />
            </div>
            <div className="m-grid m-grid--wide">
              <CardOutcomesCard summary={day} store={store} />
              <DeviceTotalsTable summary={day} store={store} />
            </div>
            <TodayCharts summary={day} store={store} />
            <p className="m-muted" data-testid="today-updated">
              Figures as of {dateTime(new Date(summary.dataUpdatedAt).toISOString(), store)} · refreshed every 30 s
            </p>
          </>
        )}
      </DataState>
    </div>
  );
}
