import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { type CardPaymentRecord, listCardAlerts } from '../../db/index.ts';

const NONE: CardPaymentRecord[] = [];

/** Stored cards the server declined or let expire that the cashier has not seen yet. */
export function useCardAlerts(): CardPaymentRecord[] {
  const { db } = useTill();
  return useLiveQuery(() => listCardAlerts(db), [db], NONE);
}
