import { useState } from 'react';
import { useTill } from '../../app/till-context.ts';
import type { DeviceRecord } from '../../db/index.ts';
import { useSyncSnapshot } from '../sync/use-sync-snapshot.ts';
import { CardAlert } from './CardAlert.tsx';
import { CardStatusItems } from './CardStatusItems.tsx';
import { formatAge, formatWhen } from './format-time.ts';
import { RecentSalesDialog } from './RecentSalesDialog.tsx';
import { RejectedSalesDialog } from './RejectedSalesDialog.tsx';
import { useMetaValue } from './use-meta-value.ts';
import { useNow } from './use-now.ts';
import { useOnline } from './use-online.ts';
import { useQueueSummary } from './use-queue-summary.ts';
import { useServerReachable } from './use-server-reachable.ts';

const BLOCK_MESSAGES = {
  not_enrolled: 'Not enrolled',
  unauthorized: 'Device not enrolled — ask a manager to enroll it again',
  revoked: 'Device revoked — ask a manager',
  unsupported_protocol: 'App update needed to sync',
} as const;

/** Always on screen: is the till connected, is everything sent, is its storage safe. */
export function StatusBar({ device }: { device: DeviceRecord | null }) {
  const { engine } = useTill();
  const online = useOnline();
  const server = useServerReachable();
  const queue = useQueueSummary();
  const sync = useSyncSnapshot();
  const lastSyncAt = useMetaValue('lastSyncAt');
  const storagePersisted = useMetaValue('storagePersisted');
  const now = useNow();
  const [showRejected, setShowRejected] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const locale = device?.store.locale;
  const blocked = sync.blocked && sync.blocked !== 'not_enrolled' ? BLOCK_MESSAGES[sync.blocked] : null;

  return (
    <header className="status-bar">
      <div className="status-identity">
        <strong>{device ? device.store.name : 'Till'}</strong>
        {device && <span className="status-muted">{device.deviceName}</span>}
      </div>
      <ul className="status-items">
        <li data-testid="status-online" className={online ? 'pill pill-ok' : 'pill pill-bad'}>
          <span className="dot" aria-hidden="true" />
          {online ? 'Online' : 'Offline'}
        </li>
        <li
          data-testid="status-server"
          className={server === 'reachable' ? 'pill pill-ok' : server === 'unreachable' ? 'pill pill-bad' : 'pill'}
          title={sync.lastError?.message}
        >
          <span className="dot" aria-hidden="true" />
          {server === 'reachable' ? 'Server reachable' : server === 'unreachable' ? 'Server unreachable' : 'Server…'}
        </li>
        <li>
          <button
            type="button"
            data-testid="status-unsent"
            className={queue.unsentCount > 0 ? 'pill pill-warn pill-button' : 'pill pill-ok pill-button'}
            onClick={() => void engine.syncNow()}
            title="Send now"
          >
            {queue.unsentCount} unsent
            {queue.oldestUnsentAt && ` · oldest ${formatAge(queue.oldestUnsentAt, now)}`}
          </button>
        </li>
        {queue.rejectedCount > 0 && (
          <li>
            <button
              type="button"
              data-testid="status-rejected"
              className="pill pill-bad pill-button"
              onClick={() => setShowRejected(true)}
            >
              {queue.rejectedCount} rejected
            </button>
          </li>
        )}
        {device && <CardStatusItems store={device.store} now={now} onOpenHistory={() => setShowHistory(true)} />}
        <li data-testid="status-last-sync" className="pill">
          {lastSyncAt ? `Synced ${formatWhen(lastSyncAt, now, locale, device?.store.timezone)}` : 'Never synced'}
        </li>
        <li
          data-testid="status-storage"
          className={storagePersisted ? 'pill pill-ok' : 'pill pill-warn'}
          title="Persistent storage keeps the browser from clearing unsent sales when space runs low"
        >
          {storagePersisted === true
            ? 'Storage persistent'
            : storagePersisted === false
              ? 'Storage not persistent'
              : 'Storage unknown'}
        </li>
      </ul>
      {blocked && (
        <p className="status-alert" role="alert" data-testid="status-blocked">
          {blocked}
        </p>
      )}
      {device && <CardAlert onOpenHistory={() => setShowHistory(true)} />}
      {showRejected && <RejectedSalesDialog onClose={() => setShowRejected(false)} />}
      {showHistory && device && <RecentSalesDialog store={device.store} onClose={() => setShowHistory(false)} />}
    </header>
  );
}
