import { useEffect } from 'react';
import { useTill } from '../../app/till-context.ts';
import { refreshCatalog } from './catalog-sync.ts';
import { useSyncSnapshot } from './use-sync-snapshot.ts';

const REFRESH_EVERY_MS = 5 * 60_000;

/** Keeps the catalog current from the leader tab: at start, when back online, and every 5 minutes. */
export function useCatalogRefresh(deviceId: string | null): void {
  const { db, api } = useTill();
  const { leader } = useSyncSnapshot();

  useEffect(() => {
    if (!leader || !deviceId) return;
    const refresh = () => {
      if (navigator.onLine) void refreshCatalog(db, api);
    };
    refresh();
    const interval = window.setInterval(refresh, REFRESH_EVERY_MS);
    window.addEventListener('online', refresh);
    return () => {
      window.clearInterval(interval);
      window.removeEventListener('online', refresh);
    };
  }, [db, api, leader, deviceId]);
}
