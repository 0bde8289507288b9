import { useState } from 'react';
import '../manage-ops.css';
import { ShiftCards } from '../drawers/ShiftCards.tsx';
import { useShifts } from '../drawers/use-shifts.ts';
import { DateRangeFields } from '../exports/DateRangeFields.tsx';
import { type DayRange, lastDays } from '../exports/days.ts';
import type { PageProps } from '../page-props.ts';
import { DataState } from '../ui/DataState.tsx';

/** Cash drawers: each shift's expected and counted cash, over/short, and sales still on the till. */
export function DrawersPage({ store }: PageProps) {
  const [range, setRange] = useState<DayRange>(() => lastDays(store.timezone, 7));
  const query = useShifts(store.id, range);
  return (
    <div className="m-page mo-page">
      <div className="m-page__head">
        <h1>Cash drawers</h1>
      </div>
      <div className="m-toolbar">
        <DateRangeFields range={range} onChange={setRange} idPrefix="drawers" />
      </div>
      <p className="m-muted mo-note">
        Expected = opening float + cash sales received + cash in/out. Over/short = counted − expected.
      </p>
      <DataState query={query} isEmpty={(data) => data.shifts.length === 0} empty="No drawer was opened in these days.">
        {(data) => <ShiftCards shifts={data.shifts} store={store} />}
      </DataState>
    </div>
  );
}
