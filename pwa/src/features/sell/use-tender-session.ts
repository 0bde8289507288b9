import { useQueryClient } from '@tanstack/react-query';
import { uuidv7 } from '@till/shared/core';
import { useCallback, useRef, useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import { cancelStoredPayment, type DeviceRecord, predictReceiptNo } from '../../db/index.ts';
import { cardName } from '../card-payments/card-labels.ts';
import { takeCardPayment } from '../card-payments/take-card-payment.ts';
import type { CardRead } from '../card-reader/card-reader.ts';
import { statusKeys } from '../status/status-queries.ts';
import { addTender, cashPart, newTenderSession, removeTender, type TenderSession } from './tender-session.ts';

/** The last card payment's outcome, as the tender panel shows it (`card-result`). */
export interface CardResultView {
  tone: 'working' | 'approved' | 'stored' | 'declined' | 'refused';
  text: string;
}

/**
 * The payments of the sale being paid, in React: the session (sale id + decided tenders), the
 * card dialog, the last card result. A card payment's id is made once, when its dialog opens,
 * and is used for every step after that (I4).
 */
export function useTenderSession(device: DeviceRecord, format: (amount: number) => string) {
  const { db, api, monitor } = useTill();
  const queryClient = useQueryClient();
  const [session, setSession] = useState<TenderSession | null>(null);
  const [cardDialog, setCardDialog] = useState<{ paymentId: string } | null>(null);
  const [cardResult, setCardResult] = useState<CardResultView | null>(null);
  const [capturing, setCapturing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A second tap while one payment is in flight must not start another.
  const inFlight = useRef(false);
  const saleIdRef = useRef<string | null>(null);

  const saleId = useCallback((): string => {
    saleIdRef.current ??= uuidv7();
    const id = saleIdRef.current;
    setSession((current) => current ?? newTenderSession(id));
    return id;
  }, []);

  const openCard = useCallback(() => {
    saleId();
    setError(null);
    setCardDialog({ paymentId: uuidv7() });
  }, [saleId]);

  const cancelCard = useCallback(() => setCardDialog(null), []);

  const takeCard = useCallback(
    async (paymentId: string, amount: number, card: CardRead) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setCardDialog(null);
      setCapturing(true);
      setCardResult({ tone: 'working', text: `${cardName(card)} — taking ${format(amount)}…` });
      try {
        const reference = await predictReceiptNo(db, { storeCode: device.store.code, deviceNo: device.deviceNo });
        const result = await takeCardPayment(
          { db, target: api, monitor, now: () => Date.now(), isOnline: () => navigator.onLine, format },
          { paymentId, saleId: saleId(), amount, reference, store: device.store, card },
        );
        if (result.kind === 'captured' || result.kind === 'stored') {
          const removable = result.kind === 'stored' && result.removable;
          setSession((current) => current && addTender(current, result.tender, removable));
        }
        const tone = {
          captured: 'approved',
          stored: 'stored',
          declined: 'declined',
          over_limit: 'refused',
          failed: 'refused',
        } as const;
        setCardResult({ tone: tone[result.kind], text: result.message });
      } catch (cause) {
        setCardResult({ tone: 'refused', text: cause instanceof Error ? cause.message : 'The card was not taken' });
      } finally {
        inFlight.current = false;
        setCapturing(false);
        // Every capture answer refreshes what the till knows about the gateway.
        void queryClient.invalidateQueries({ queryKey: statusKeys.health(api.baseUrl) });
      }
    },
    [db, api, monitor, device, format, saleId, queryClient],
  );

  const remove = useCallback(
    async (tenderId: string) => {
      const part = session?.tenders.find((candidate) => candidate.tender.id === tenderId);
      if (!part?.removable) return;
      try {
        if (part.tender.kind === 'card') await cancelStoredPayment(db, tenderId, new Date().toISOString());
        setSession((current) => current && removeTender(current, tenderId));
        setCardResult(null);
      } catch (cause) {
        setError(cause instanceof Error ? cause.message : 'The payment could not be removed');
      }
    },
    [db, session],
  );

  const addCashPart = useCallback(
    (tendered: number) => {
      saleId();
      setSession((current) => current && addTender(current, cashPart(uuidv7(), tendered), true));
    },
    [saleId],
  );

  /** After the sale is recorded, or when the cashier goes back with no payment on it. */
  const reset = useCallback(() => {
    saleIdRef.current = null;
    setSession(null);
    setCardDialog(null);
    setCardResult(null);
    setError(null);
  }, []);

  return {
    session,
    saleId,
    cardDialog,
    cardResult,
    capturing,
    error,
    openCard,
    cancelCard,
    takeCard,
    remove,
    addCashPart,
    reset,
  };
}
