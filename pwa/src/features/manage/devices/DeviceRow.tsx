import type { ManagerDevice, ManagerStore } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import { ago } from '../ui/format.ts';
import { When } from '../ui/When.tsx';

function NotReported() {
  return (
    <span className="m-muted" title="This till has not reported it yet (older app, or not synced since)">
      —
    </span>
  );
}

function Storage({ persisted }: { persisted: boolean | null }) {
  if (persisted === null) return <NotReported />;
  return persisted ? (
    <Badge tone="ok">persisted</Badge>
  ) : (
    <Badge tone="warn" title="The browser may clear this till's unsent sales when space runs low">
      not persisted
    </Badge>
  );
}

/** One till: who it is, whether it is heard from, and how much it still holds. */
export function DeviceRow({
  device,
  store,
  now,
  onRevoke,
  onShowFlagged,
}: {
  device: ManagerDevice;
  store: ManagerStore;
  now: number;
  onRevoke: (device: ManagerDevice) => void;
  /** Opens this till's flagged sales (where its sequence issues show). */
  onShowFlagged: (device: ManagerDevice) => void;
}) {
  const revoked = device.status === 'revoked';
  return (
    <tr data-testid={`device-row-${device.deviceNo}`} className={revoked ? 'm-row--muted' : undefined}>
      <th scope="row">
        <div>
          {device.deviceNo} · {device.name}
        </div>
        <small className="m-muted m-nowrap">app {device.appVersion || '—'}</small>
      </th>
      <td>
        <span className="m-badges">
          {revoked ? <Badge tone="neutral">revoked</Badge> : <Badge tone="ok">active</Badge>}
          {device.silent && (
            <Badge tone="bad" testId={`device-silent-${device.deviceNo}`}>
              silent
            </Badge>
          )}
        </span>
      </td>
      <td>
        <When iso={device.lastSeenAt} now={now} store={store} stacked />
      </td>
      <td className="m-num" title={`Every sale up to seq ${device.ackedSeq} is stored`}>
        {device.lastSeq}
      </td>
      <td className="m-num">
        {device.unsentCount === null ? (
          <NotReported />
        ) : device.unsentCount === 0 ? (
          '0'
        ) : (
          <>
            <strong>{device.unsentCount}</strong>
            {device.oldestUnsentAt !== null && (
              <div className="m-muted m-nowrap">oldest {ago(device.oldestUnsentAt, now)}</div>
            )}
          </>
        )}
      </td>
      <td>
        <Storage persisted={device.storagePersisted} />
      </td>
      <td className="m-num">
        {device.openSequenceIssues > 0 ? (
          <button type="button" className="m-link" onClick={() => onShowFlagged(device)}>
            <Badge tone="bad">{device.openSequenceIssues} open</Badge>
          </button>
        ) : (
          '0'
        )}
      </td>
      <td>
        {!revoked && (
          <button
            type="button"
            className="m-btn m-btn--small"
            data-testid={`device-revoke-${device.deviceNo}`}
            onClick={() => onRevoke(device)}
          >
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}
