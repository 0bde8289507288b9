import type { ShiftRow } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import { dateTime, money, type StoreFormat } from '../ui/format.ts';
import { overShortTone, overShortWord, signedMoney } from './over-short.ts';

/**
 * Cash drawer sessions, one card each, read top to bottom like a cash-up sheet: float, cash
 * sales, cash in/out, expected, counted, over/short. Every figure is the server's.
 */
export function ShiftCards({ shifts, store }: { shifts: ShiftRow[]; store: StoreFormat }) {
  return (
    <div className="mo-shifts">
      {shifts.map((shift) => (
        <ShiftCard key={shift.shiftId} shift={shift} store={store} />
      ))}
    </div>
  );
}

function ShiftCard({ shift, store }: { shift: ShiftRow; store: StoreFormat }) {
  const open = shift.status === 'open';
  const tone = shift.overShort === null ? 'neutral' : overShortTone(shift.overShort);
  return (
    <article className={`m-card mo-shift mo-shift--${tone}`} data-testid={`shift-row-${shift.shiftId}`}>
      <header className="mo-shift__head">
        <h3>
          {shift.deviceName} <span className="m-muted">#{shift.deviceNo}</span>
        </h3>
        {open ? <Badge tone="neutral">Open</Badge> : <Badge tone={tone}>Closed</Badge>}
      </header>
      <p className="mo-shift__who">
        {shift.cashier ?? 'No cashier named'} · {dateTime(shift.openedAt, store)} →{' '}
        {open ? 'still open' : dateTime(shift.closedAt, store)}
      </p>
      <dl className="mo-cashup">
        <dt>Opening float</dt>
        <dd className="m-num">{money(shift.openingFloat, store)}</dd>
        <dt>Cash sales received</dt>
        <dd className="m-num">{money(shift.cashSales, store)}</dd>
        <dt>Cash in / out</dt>
        <dd className="m-num">{signedMoney(shift.cashMovements, store)}</dd>
        <dt className="mo-cashup__total">Expected in drawer</dt>
        <dd className="m-num mo-cashup__total">{money(shift.expectedCash, store)}</dd>
        <dt>Counted</dt>
        <dd className="m-num">{shift.countedCash === null ? '—' : money(shift.countedCash, store)}</dd>
        <dt>Over / short</dt>
        <dd className="m-num" data-testid={`shift-over-short-${shift.shiftId}`}>
          {shift.overShort === null ? (
            '—'
          ) : (
            <Badge tone={overShortTone(shift.overShort)} title={overShortWord(shift)}>
              {signedMoney(shift.overShort, store)} {overShortWord(shift)}
            </Badge>
          )}
        </dd>
      </dl>
      {shift.reason && <p className="mo-shift__reason">“{shift.reason}”</p>}
      {shift.missingSales > 0 && (
        <p className="mo-shift__missing" data-testid={`shift-missing-${shift.shiftId}`}>
          <Badge tone="warn">
            {shift.missingSales} sale{shift.missingSales === 1 ? '' : 's'} of this shift not received yet
          </Badge>
        </p>
      )}
      {shift.tillExpectedCash !== null && shift.tillExpectedCash !== shift.expectedCash && (
        <p className="mo-small m-muted">The till expected {money(shift.tillExpectedCash, store)} when it closed.</p>
      )}
    </article>
  );
}
