import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { getShift, readShiftCash, type ShiftCash } from '../../db/index.ts';

/** A shift's expected cash from the local ledger, live: it moves with every sale and cash movement. */
export function useShiftCash(shiftId: string | null): ShiftCash | undefined {
  const { db } = useTill();
  return useLiveQuery(async () => {
    const shift = shiftId === null ? undefined : await getShift(db, shiftId);
    return shift ? readShiftCash(db, shift) : undefined;
  }, [db, shiftId]);
}
