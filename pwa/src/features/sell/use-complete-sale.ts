import { uuidv7 } from '@till/shared/core';
import { useCallback, useRef, useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { type DeviceRecord, type LedgerSale, recordSale } from '../../db/index.ts';
import { buildSaleDraft } from './build-sale-draft.ts';
import type { Cart } from './cart.ts';
import { cartTotals } from './cart.ts';
import { completingTenders, type TenderSession } from './tender-session.ts';

/**
 * Completes a sale: its tenders (card payments already decided, plus cash for what remains)
 * are recorded with the sale — and the card payments' journal rows — in one IndexedDB
 * transaction. The promise resolves with the recorded sale only after the commit, so the
 * receipt appears only for a sale that is durably on the till (I1). No network is involved.
 */
export function useCompleteSale(device: DeviceRecord) {
  const { db } = useTill();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A double tap must not record the same cart twice; state updates are too late to stop it.
  const inFlight = useRef(false);

  const complete = useCallback(
    async (cart: Cart, session: TenderSession, cashTendered: number | null): Promise<LedgerSale | null> => {
      if (inFlight.current) return null;
      inFlight.current = true;
      setPending(true);
      setError(null);
      try {
        const total = cartTotals(cart, device.store.taxMode).total;
        const cash = cashTendered === null ? null : { tenderId: uuidv7(), tendered: cashTendered };
        const tenders = completingTenders(session, total, cash);
        const draft = buildSaleDraft(cart, device.store, tenders, session.saleId, new Date());
        return await recordSale(db, draft, { storeCode: device.store.code, deviceNo: device.deviceNo });
      } catch (cause) {
        setError(cause instanceof Error ? cause.message : 'The sale could not be recorded.');
        return null;
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [db, device],
  );

  return { complete, pending, error };
}
