import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import {
  countUnsentShiftEvents,
  listRejectedShiftEvents,
  listShiftEventConflicts,
  type ShiftEventRecord,
} from '../../db/index.ts';

export interface ShiftSyncView {
  /** Shift events recorded on this till and not yet acknowledged by the server. */
  unsent: number;
  /** Events the server kept aside as conflicts: kept here and shown until a manager sorts them out. */
  conflicts: ShiftEventRecord[];
  /** Events the server refused as malformed (each with its `rejectReason`): kept here and shown, never resent (I9). */
  rejected: ShiftEventRecord[];
}

const NOTHING: ShiftSyncView = { unsent: 0, conflicts: [], rejected: [] };

/** Where the shift records are in their sync life, live. */
export function useShiftSync(): ShiftSyncView {
  const { db } = useTill();
  return useLiveQuery(
    async () => ({
      unsent: await countUnsentShiftEvents(db),
      conflicts: await listShiftEventConflicts(db),
      rejected: await listRejectedShiftEvents(db),
    }),
    [db],
    NOTHING,
  );
}
