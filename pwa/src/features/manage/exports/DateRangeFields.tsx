import type { DayRange } from './days.ts';

interface DateRangeFieldsProps {
  range: DayRange;
  onChange: (range: DayRange) => void;
  /** Prefix of the inputs' ids and test ids, e.g. `drawers` → `drawers-from`, `drawers-to`. */
  idPrefix: string;
}

/**
 * Two store-time day pickers. A range whose start is after its end is swapped rather than
 * refused, so a manager never sees an empty list for a typing slip.
 */
export function DateRangeFields({ range, onChange, idPrefix }: DateRangeFieldsProps) {
  const set = (next: DayRange) => {
    if (next.from === '' || next.to === '') return;
    onChange(next.from <= next.to ? next : { from: next.to, to: next.from });
  };
  return (
    <>
      <div className="m-field">
        <label htmlFor={`${idPrefix}-from`}>From</label>
        <input
          id={`${idPrefix}-from`}
          data-testid={`${idPrefix}-from`}
          type="date"
          value={range.from}
          onChange={(event) => set({ ...range, from: event.target.value })}
        />
      </div>
      <div className="m-field">
        <label htmlFor={`${idPrefix}-to`}>To</label>
        <input
          id={`${idPrefix}-to`}
          data-testid={`${idPrefix}-to`}
          type="date"
          value={range.to}
          onChange={(event) => set({ ...range, to: event.target.value })}
        />
      </div>
    </>
  );
}
