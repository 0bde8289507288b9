import type { AuditRow } from '@till/shared/core';
import { dateTime, type StoreFormat } from '../ui/format.ts';

/** Who did what, to what, why and when (MGR-8); the detail JSON folded away until asked for. */
export function AuditTable({ entries, store }: { entries: AuditRow[]; store: StoreFormat }) {
  return (
    <div className="m-table-wrap">
      <table className="m-table mo-audit mo-stack">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Target</th>
            <th>Reason</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row">
              <td className="mo-nowrap" title={entry.at} data-label="When">
                {dateTime(entry.at, store)}
              </td>
              <td data-label="Who">
                <div>{entry.managerName}</div>
                <div className="mo-small m-muted">{entry.managerEmail}</div>
              </td>
              <td className="m-mono" data-testid="audit-action" data-label="What">
                {entry.action}
              </td>
              <td data-label="Target">
                {entry.targetType === null ? (
                  '—'
                ) : (
                  <>
                    <div>{entry.targetType}</div>
                    {entry.targetId && (
                      <div className="mo-small m-mono" title={entry.targetId}>
                        {entry.targetId.length > 16 ? `${entry.targetId.slice(0, 13)}…` : entry.targetId}
                      </div>
                    )}
                  </>
                )}
              </td>
              <td data-label="Reason">{entry.reason ?? '—'}</td>
              <td data-label="Detail">
                {Object.keys(entry.detail).length === 0 ? (
                  '—'
                ) : (
                  <details className="mo-detail">
                    <summary>Show</summary>
                    <pre className="m-mono">{JSON.stringify(entry.detail, null, 2)}</pre>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
