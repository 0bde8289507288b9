import type { StoreInfo, Tender } from '@till/shared/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTill } from '../../app/till-context.ts';
import {
  type CardPaymentRecord,
  cardPaymentsOfSales,
  type LedgerSale,
  listRecentSales,
  listUnrecordedCardPayments,
} from '../../db/index.ts';
import { cardName, cardStateWord } from '../card-payments/card-labels.ts';
import { useMoney } from '../sell/use-money.ts';
import { formatWhen } from './format-time.ts';

const RECENT = 30;

interface History {
  sales: LedgerSale[];
  cards: Map<string, CardPaymentRecord[]>;
  unrecorded: CardPaymentRecord[];
}

async function loadHistory(db: Parameters<typeof listRecentSales>[0]): Promise<History> {
  const sales = await listRecentSales(db, RECENT);
  const cards = await cardPaymentsOfSales(
    db,
    sales.map((sale) => sale.id),
  );
  return { sales, cards, unrecorded: await listUnrecordedCardPayments(db) };
}

const SYNC_WORDS = { unsent: 'unsent', sent: 'sent', rejected: 'rejected' } as const;
const TROUBLE = new Set(['declined', 'expired', 'unknown', 'quarantined', 'conflict', 'attempting']);

/** The last sales on this till: sync state, and each card payment's state as the server reports it. */
export function RecentSalesDialog({ store, onClose }: { store: StoreInfo; onClose: () => void }) {
  const { db } = useTill();
  const format = useMoney(store);
  const history = useLiveQuery(() => loadHistory(db), [db]);
  const now = Date.now();
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="history-title">
      <div className="dialog history-dialog">
        <h2 id="history-title">Recent sales</h2>
        {history === undefined ? (
          <p>Loading…</p>
        ) : history.sales.length === 0 ? (
          <p>No sales on this till yet.</p>
        ) : (
          <ul className="history-list">
            {history.sales.map((sale) => (
              <li key={sale.id} className="history-row" data-testid={`history-row-${sale.receiptNo}`}>
                <div className="history-head">
                  <strong>{sale.receiptNo}</strong>
                  <span>{formatWhen(sale.createdAt, now, store.locale, store.timezone)}</span>
                  <span>{format(sale.totals.total)}</span>
                  <span className={`history-sync history-sync-${sale.syncState}`}>{SYNC_WORDS[sale.syncState]}</span>
                </div>
                <ul className="history-tenders">
                  {sale.tenders.map((tender) => (
                    <TenderLine key={tender.id} tender={tender} journal={history.cards.get(sale.id)} format={format} />
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
        {history && history.unrecorded.length > 0 && (
          <section className="history-unrecorded">
            <h3>Card payments not on a completed sale</h3>
            <p>On the sale being paid now, or on one a closed tab interrupted. Tell a manager about the latter.</p>
            <ul className="history-tenders">
              {history.unrecorded.map((row) => (
                <li key={row.id} className={TROUBLE.has(row.state) ? 'is-trouble' : ''}>
                  {cardName(row)} {format(row.amount)} · {cardStateWord(row.state)}
                </li>
              ))}
            </ul>
          </section>
        )}
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function TenderLine({
  tender,
  journal,
  format,
}: {
  tender: Tender;
  journal: CardPaymentRecord[] | undefined;
  format: (amount: number) => string;
}) {
  if (tender.kind === 'cash') return <li>Cash {format(tender.amount)}</li>;
  const row = journal?.find((candidate) => candidate.id === tender.id);
  // A sale recorded before the journal existed has no row: its tender says how it was taken.
  const state = row?.state ?? (tender.entry === 'live' ? 'captured' : 'stored');
  return (
    <li className={TROUBLE.has(state) ? 'is-trouble' : ''}>
      {cardName(tender)} {format(tender.amount)} · {cardStateWord(state)}
      {row?.message && (state === 'declined' || state === 'expired') ? ` — ${row.message}` : ''}
    </li>
  );
}
