import type { DaySummary, ManagerStore } from '@till/shared/core';
import { BarChart } from '../ui/BarChart.tsx';
import { money, plural } from '../ui/format.ts';
import { LineChart } from '../ui/LineChart.tsx';
import { hourLabel, storeClock } from './day.ts';

/** Sales per store-time hour, and the card payments still waiting for capture over the day. */
export function TodayCharts({ summary, store }: { summary: DaySummary; store: ManagerStore }) {
  const bars = summary.salesPerHour.map((hour) => ({
    label: String(hour.hour).padStart(2, '0'),
    value: hour.count,
    description: `${hourLabel(hour.hour)}–${hourLabel((hour.hour + 1) % 24)}: ${plural(hour.count, 'sale', 'sales')}, ${money(hour.total, store)}`,
  }));
  const points = summary.backlog.map((point) => {
    const at = storeClock(point.at, store.locale, store.timezone);
    return {
      label: at,
      value: point.count,
      description: `${at}: ${plural(point.count, 'card payment', 'card payments')} waiting, ${money(point.amount, store)}`,
    };
  });
  return (
    <div className="m-grid m-grid--wide">
      <section className="m-card" aria-labelledby="today-per-hour">
        <h2 id="today-per-hour">Sales per hour</h2>
        <BarChart
          testId="today-chart-hours"
          title={`Sales per hour on ${summary.date}`}
          bars={bars}
          xLabel="Hour of the day (store time)"
          yLabel="Sales"
        />
      </section>
      <section className="m-card" aria-labelledby="today-backlog">
        <h2 id="today-backlog">Card payments waiting for capture</h2>
        {points.length === 0 ? (
          <p className="m-muted">No figures for this day yet.</p>
        ) : (
          <LineChart
            testId="today-chart-backlog"
            title={`Card payments waiting for capture on ${summary.date}`}
            points={points}
            xLabel="Time of day (store time)"
            yLabel="Waiting"
          />
        )}
      </section>
    </div>
  );
}
