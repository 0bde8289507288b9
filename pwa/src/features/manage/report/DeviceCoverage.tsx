import type { DayReport } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import { dateTime, money, type StoreFormat } from '../ui/format.ts';

/** Till ↔ server per device: which seqs of the day the server holds, and what the till says is unsent. */
export function DeviceCoverage({ devices, store }: { devices: DayReport['devices']; store: StoreFormat }) {
  return (
    <section className="m-card mo-report-section">
      <h2>Tills ↔ server</h2>
      {devices.length === 0 ? (
        <p className="m-muted">No till sold anything this day.</p>
      ) : (
        <div className="m-table-wrap mo-print-open">
          <table className="m-table mo-report-table">
            <thead>
              <tr>
                <th>Till</th>
                <th className="m-num">Sales</th>
                <th className="m-num">Total</th>
                <th className="m-num">Seqs</th>
                <th className="m-num">Missing</th>
                <th className="m-num">Unsent (till)</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => (
                <tr key={device.deviceId} data-testid={`report-device-${device.deviceNo}`}>
                  <td>
                    #{device.deviceNo} {device.name}
                  </td>
                  <td className="m-num">{device.saleCount}</td>
                  <td className="m-num">{money(device.total, store)}</td>
                  <td className="m-num">
                    {device.firstSeq === null ? '—' : `${device.firstSeq}–${device.lastSeq ?? device.firstSeq}`}
                  </td>
                  <td className="m-num">
                    {device.missingSeqs === 0 ? 0 : <Badge tone="bad">{device.missingSeqs}</Badge>}
                  </td>
                  <td className="m-num">
                    {device.unsentReported === null ? (
                      'unknown'
                    ) : device.unsentReported === 0 ? (
                      0
                    ) : (
                      <Badge tone="warn">{device.unsentReported}</Badge>
                    )}
                  </td>
                  <td>{dateTime(device.lastSeenAt, store)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
