import { uuidv7 } from '@till/shared';
import { useCallback, useRef, useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { type DeviceRecord, type LedgerSale, recordSale } from '../../db/index.ts';
import { buildCashSaleDraft } from './build-sale-draft.ts';
import type { Cart } from './cart.ts';

/**
 * Completes a cash sale: builds it and records it in one IndexedDB transaction. The promise
 * resolves with the recorded sale only after the commit, so the receipt appears only for a
 * sale that is durably on the till (I1). No network is involved.
 */
export function useCompleteSale(device: DeviceRecord) {
  const { db } = useTill();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A double tap must not record the same cart twice; state updates are too late to stop it.
  const inFlight = useRef(false);

  const complete = useCallback(
    async (cart: Cart, tendered: number): Promise<LedgerSale | null> => {
      if (inFlight.current) return null;
      inFlight.current = true;
      setPending(true);
      setError(null);
      try {
        const draft = buildCashSaleDraft(
          cart,
          device.store,
          tendered,
          { saleId: uuidv7(), tenderId: uuidv7() },
          new Date(),
        );
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
