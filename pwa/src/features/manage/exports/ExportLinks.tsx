import { managerUrl } from '../api/client.ts';
import type { DayRange } from './days.ts';

const EXPORTS = [
  { kind: 'sales', label: 'Sales', detail: 'One row per sale: receipt, device, seq, totals, tenders, flags.' },
  { kind: 'payments', label: 'Card payments', detail: 'One row per card payment: state, brand, last 4, follow-up.' },
  { kind: 'batches', label: 'Batches', detail: 'One row per push from a till: sales carried, new, duplicates.' },
] as const;

/**
 * Plain links: the session cookie authenticates a GET, so the browser downloads the CSV itself
 * (MGR-12), with no copy held in the page.
 */
export function ExportLinks({ storeId, range }: { storeId: string; range: DayRange }) {
  return (
    <div className="m-grid mo-exports">
      {EXPORTS.map((entry) => (
        <div key={entry.kind} className="m-card mo-export">
          <h2>{entry.label}</h2>
          <p className="m-muted">{entry.detail}</p>
          <a
            className="m-btn m-btn--primary"
            data-testid={`export-${entry.kind}`}
            href={managerUrl(`/stores/${storeId}/exports/${entry.kind}.csv`, { from: range.from, to: range.to })}
            download={`${entry.kind}-${range.from}-to-${range.to}.csv`}
          >
            Download CSV
          </a>
        </div>
      ))}
    </div>
  );
}
