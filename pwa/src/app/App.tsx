import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useState } from 'react';
import { getDevice } from '../db/index.ts';
import { usePaymentUpdates } from '../features/card-payments/use-payment-updates.ts';
import { EnrollScreen } from '../features/enroll/EnrollScreen.tsx';
import { SellScreen } from '../features/sell/SellScreen.tsx';
import { StatusBar } from '../features/status/StatusBar.tsx';
import { useStoragePersistence } from '../features/status/use-storage-persistence.ts';
import { useCatalogRefresh } from '../features/sync/use-catalog-refresh.ts';
import { useSyncLifecycle } from '../features/sync/use-sync-lifecycle.ts';
import { UpdateBanner } from '../features/update/UpdateBanner.tsx';
import { useTill } from './till-context.ts';

/** The till: status bar and update banner always, then enrollment or the sell screen. */
export function App() {
  const { db, updater } = useTill();
  const device = useLiveQuery(() => getDevice(db), [db]);
  const [saleInProgress, setSaleInProgress] = useState(false);
  useSyncLifecycle(device?.deviceId ?? null);
  useCatalogRefresh(device?.deviceId ?? null);
  usePaymentUpdates(device?.deviceId ?? null);
  useStoragePersistence(device !== undefined && device !== null);

  // The cart is empty again after a sale: the moment a waiting update may reload the page.
  const handleSaleFinished = useCallback(() => updater.applyIfReady(), [updater]);

  return (
    <div className="app">
      <StatusBar device={device ?? null} />
      <UpdateBanner saleInProgress={saleInProgress} />
      <main className="app-main">
        {device === undefined ? (
          <p className="app-loading">Opening the till…</p>
        ) : device === null ? (
          <EnrollScreen />
        ) : (
          <SellScreen device={device} onBusyChange={setSaleInProgress} onSaleFinished={handleSaleFinished} />
        )}
      </main>
    </div>
  );
}
