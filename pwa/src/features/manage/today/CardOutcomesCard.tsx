import type { Amount, DaySummary, ManagerStore, PaymentState } from '@till/shared/core';
import { Badge, type BadgeTone } from '../ui/Badge.tsx';
import { money } from '../ui/format.ts';

/** The card outcomes in the order a manager reads them: done, still open, then lost. */
const OUTCOMES: readonly { state: PaymentState; label: string; tone: BadgeTone }[] = [
  { state: 'captured', label: 'Captured', tone: 'ok' },
  { state: 'pending', label: 'Pending (to be charged)', tone: 'neutral' },
  { state: 'unknown', label: 'Outcome unknown', tone: 'warn' },
  { state: 'quarantined', label: 'Quarantined', tone: 'bad' },
  { state: 'declined', label: 'Declined', tone: 'bad' },
  { state: 'expired', label: 'Expired', tone: 'bad' },
  { state: 'written_off', label: 'Written off', tone: 'neutral' },
];

const NONE: Amount = { count: 0, amount: 0 };

/**
 * The day's card payments by state, and whether they add up to the card total (I7, MGR-9). The
 * figures are the server's; the page only checks that its parts meet its total.
 */
export function CardOutcomesCard({ summary, store }: { summary: DaySummary; store: ManagerStore }) {
  const rows = OUTCOMES.map((outcome) => ({ ...outcome, ...(summary.cardOutcomes[outcome.state] ?? NONE) }));
  const partsAmount = rows.reduce((sum, row) => sum + row.amount, 0);
  const addsUp = partsAmount === summary.tenders.card.amount;
  return (
    <section className="m-card m-card--flush" aria-labelledby="today-card-outcomes">
      <h2 id="today-card-outcomes">Card payments by outcome</h2>
      <div className="m-table-wrap">
        <table className="m-table">
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col" className="m-num">
                Payments
              </th>
              <th scope="col" className="m-num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.state}
                data-testid={`today-card-outcome-${row.state}`}
                className={row.count === 0 ? 'm-row--muted' : undefined}
              >
                <th scope="row">
                  <Badge tone={row.count === 0 ? 'neutral' : row.tone}>{row.label}</Badge>
                </th>
                <td className="m-num">{row.count}</td>
                <td className="m-num">{money(row.amount, store)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="today-card-total">
              <th scope="row">Card total</th>
              <td className="m-num">{summary.tenders.card.count}</td>
              <td className="m-num">{money(summary.tenders.card.amount, store)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="m-check m-card__pad" data-testid="today-card-check">
        {addsUp ? <Badge tone="ok">✓ Adds up</Badge> : <Badge tone="bad">✗ Does not add up</Badge>}
        <span className="m-muted">
          {addsUp
            ? 'Every card payment of the day is in exactly one outcome.'
            : `The outcomes come to ${money(partsAmount, store)}, not the card total — open the Day report.`}
        </span>
      </p>
    </section>
  );
}
