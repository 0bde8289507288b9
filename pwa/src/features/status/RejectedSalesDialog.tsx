import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import { listRejected } from '../../db/index.ts';

/** Sales the server refused: kept on the till with the reason, for a manager to follow up (I9). */
export function RejectedSalesDialog({ onClose }: { onClose: () => void }) {
  const { db } = useTill();
  const rejected = useLiveQuery(() => listRejected(db), [db], []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="rejected-title">
      <div className="dialog">
        <h2 id="rejected-title">Sales the server refused</h2>
        <p>They stay on this till. Tell a manager; the other sales keep syncing.</p>
        <ul className="rejected-list">
          {rejected.map((sale) => (
            <li key={sale.id}>
              <strong>{sale.receiptNo}</strong> — {sale.rejectReason ?? 'no reason given'}
            </li>
          ))}
        </ul>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
