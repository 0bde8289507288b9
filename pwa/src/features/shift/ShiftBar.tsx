import type { StoreInfo } from '@till/shared/core';
import { useEffect, useState } from 'react';
import type { ShiftEventRecord } from '../../db/index.ts';
import { formatWhen } from '../status/format-time.ts';
import { useNow } from '../status/use-now.ts';
import { CashMoveDialog } from './CashMoveDialog.tsx';
import { CloseShiftDialog } from './CloseShiftDialog.tsx';
import { OpenShiftDialog } from './OpenShiftDialog.tsx';
import { useOpenShift } from './use-open-shift.ts';
import { useShiftCash } from './use-shift-cash.ts';
import { useShiftSync } from './use-shift-sync.ts';
import './shift.css';

interface ShiftBarProps {
  store: StoreInfo;
  format: (amount: number) => string;
  /** False while a sale is in progress: its sale must land in the shift it was started in. */
  canClose: boolean;
  /** A shift dialog opened or closed (the sell screen stops listening for scans meanwhile). */
  onDialogChange?: (open: boolean) => void;
}

type Dialog = 'open' | 'move' | 'close' | null;

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

/** What a refused record was, for the tooltip that lists them all. */
const EVENT_NAMES: Record<ShiftEventRecord['kind'], string> = {
  opened: 'Shift opened',
  cash_movement: 'Cash in/out',
  closed: 'Shift closed',
};

function reasonOf(record: ShiftEventRecord): string {
  return record.rejectReason ?? 'no reason given';
}

/**
 * The cash drawer on the sell screen: who has it and since when, cash in/out and close; or a
 * clear "Open shift" when none is open (selling without one stays possible). Also says when
 * shift records are not yet on the server, or were refused there.
 */
export function ShiftBar({ store, format, canClose, onDialogChange }: ShiftBarProps) {
  const shift = useOpenShift();
  const sync = useShiftSync();
  // Kept warm, so the close dialog shows the expected cash the moment it opens.
  const cash = useShiftCash(shift?.id ?? null);
  const now = useNow(60_000);
  const [dialog, setDialog] = useState<Dialog>(null);
  // The close dialog outlives the open shift (it shows the summary after the close).
  const [closing, setClosing] = useState<typeof shift>(null);
  const [firstRejected] = sync.rejected;
  const when = (at: string) => formatWhen(at, now, store.locale, store.timezone);

  useEffect(() => onDialogChange?.(dialog !== null), [dialog, onDialogChange]);

  return (
    <section className="shift-bar" aria-label="Shift">
      {shift ? (
        <>
          <p className="shift-status" data-testid="shift-status">
            <strong>{shift.cashier}</strong>
            <span> · since {formatWhen(shift.openedAt, now, store.locale, store.timezone)}</span>
          </p>
          <button type="button" className="button" data-testid="shift-cash-move" onClick={() => setDialog('move')}>
            Cash in/out
          </button>
          <button
            type="button"
            className="button"
            data-testid="shift-close"
            disabled={!canClose}
            title={canClose ? undefined : 'Finish the sale first'}
            onClick={() => {
              setClosing(shift);
              setDialog('close');
            }}
          >
            Close shift
          </button>
        </>
      ) : shift === null ? (
        <>
          <p className="shift-status-none">No shift open</p>
          <button
            type="button"
            className="button button-primary"
            data-testid="shift-open"
            onClick={() => setDialog('open')}
          >
            Open shift
          </button>
        </>
      ) : null}
      {sync.unsent > 0 && (
        <span className="shift-sync shift-sync-unsent" data-testid="shift-unsent">
          {plural(sync.unsent, 'shift record')} unsent
        </span>
      )}
      {sync.conflicts.length > 0 && (
        <span
          className="shift-sync shift-sync-conflict"
          data-testid="shift-conflicts"
          title="The server already has these records with other content; they are kept on this till"
        >
          {plural(sync.conflicts.length, 'shift record')} in conflict on the server — tell a manager
        </span>
      )}
      {firstRejected && (
        <span
          className="shift-sync shift-sync-conflict"
          data-testid="shift-rejected"
          title={sync.rejected
            .map((record) => `${EVENT_NAMES[record.kind]}, ${when(record.at)}: ${reasonOf(record)}`)
            .join('\n')}
        >
          {plural(sync.rejected.length, 'shift record')} refused by the server: {reasonOf(firstRejected)}
          {sync.rejected.length > 1 && ` (+${sync.rejected.length - 1} more)`} — tell a manager
        </span>
      )}
      {dialog === 'open' && <OpenShiftDialog store={store} onClose={() => setDialog(null)} />}
      {dialog === 'move' && <CashMoveDialog store={store} format={format} onClose={() => setDialog(null)} />}
      {dialog === 'close' && closing && (
        <CloseShiftDialog
          shift={closing}
          initialCash={cash}
          store={store}
          format={format}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
