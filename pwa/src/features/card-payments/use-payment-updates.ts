import { useEffect, useRef } from 'react';
import { useTill } from '../../app/till-context.ts';
import { useMetaValue } from '../status/use-meta-value.ts';
import { useSyncSnapshot } from '../sync/use-sync-snapshot.ts';
import { pullPaymentUpdates } from './payment-updates.ts';

const PULL_EVERY_MS = 20_000;

/**
 * Keeps the payment journal up to date from the leader tab: after every successful push (the
 * stored cards it carried are now on the server), when back online, and every 20 s.
 */
export function usePaymentUpdates(deviceId: string | null): void {
  const { db, api } = useTill();
  const { leader } = useSyncSnapshot();
  const lastSyncAt = useMetaValue('lastSyncAt');
  const pulling = useRef(false);
  const pullRef = useRef<() => void>(() => {});

  useEffect(() => {
    pullRef.current = () => {
      if (!leader || !deviceId || !navigator.onLine || pulling.current) return;
      pulling.current = true;
      void pullPaymentUpdates(db, api, () => Date.now())
        .catch(() => undefined)
        .finally(() => {
          pulling.current = false;
        });
    };
  }, [db, api, leader, deviceId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `lastSyncAt` (a push was acknowledged) is the trigger.
  useEffect(() => {
    pullRef.current();
  }, [lastSyncAt, leader, deviceId]);

  useEffect(() => {
    const pull = () => pullRef.current();
    const interval = window.setInterval(pull, PULL_EVERY_MS);
    window.addEventListener('online', pull);
    return () => {
      window.clearInterval(interval);
      window.removeEventListener('online', pull);
    };
  }, []);
}
