import { type Amount, type DayReport, PAYMENT_STATES } from '@till/shared/core';
import { PAYMENT_STATE_LABELS } from '../payments/payment-labels.ts';
import { money, type StoreFormat } from '../ui/format.ts';

function Facts({ rows }: { rows: [label: string, value: string | number][] }) {
  return (
    <dl className="m-facts mo-report-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd className="m-num mo-left">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function amountText(figure: Amount | undefined, store: StoreFormat): string {
  const { count, amount } = figure ?? { count: 0, amount: 0 };
  return `${count} · ${money(amount, store)}`;
}

/** Sales and tenders of the day, as the server totalled them. */
export function SalesFigures({ report, store }: { report: DayReport; store: StoreFormat }) {
  return (
    <section className="m-card mo-report-section">
      <h2>Sales</h2>
      <Facts
        rows={[
          ['Sales', report.sales.count],
          ['Total', money(report.sales.total, store)],
          ['Tax', money(report.sales.tax, store)],
          ['Discounts', money(report.sales.discount, store)],
          ['Flagged', report.sales.flagged],
          ['Cash tenders', amountText(report.tenders.cash, store)],
          ['Card tenders', amountText(report.tenders.card, store)],
        ]}
      />
    </section>
  );
}

/**
 * The card total split by outcome (I7). The parts and the total are both the server's: the page
 * shows them side by side and the `card_total_splits` check says whether they agree.
 */
export function CardOutcomesTable({ report, store }: { report: DayReport; store: StoreFormat }) {
  return (
    <section className="m-card mo-report-section">
      <h2>Card payments by outcome</h2>
      <table className="m-table mo-report-table">
        <thead>
          <tr>
            <th>Outcome</th>
            <th className="m-num">Payments</th>
            <th className="m-num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {PAYMENT_STATES.map((state) => {
            const figure = report.cardOutcomes[state] ?? { count: 0, amount: 0 };
            return (
              <tr key={state} data-testid={`report-outcome-${state}`}>
                <td>{PAYMENT_STATE_LABELS[state]}</td>
                <td className="m-num">{figure.count}</td>
                <td className="m-num">{money(figure.amount, store)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Card total (tenders)</th>
            <td className="m-num">{report.tenders.card.count}</td>
            <td className="m-num" data-testid="report-card-total">
              {money(report.tenders.card.amount, store)}
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

export function DeclinedFollowUps({ report, store }: { report: DayReport; store: StoreFormat }) {
  const declined = report.declinedAfterForwarding;
  return (
    <section className="m-card mo-report-section">
      <h2>Declined after forwarding</h2>
      <Facts
        rows={[
          ['Declined', `${declined.count} · ${money(declined.amount, store)}`],
          ['Written off', amountText(declined.writtenOff, store)],
          ['Paid another way', amountText(declined.paidElsewhere, store)],
          ['Still open', amountText(declined.open, store)],
        ]}
      />
    </section>
  );
}

export function LedgerFigures({ report, store }: { report: DayReport; store: StoreFormat }) {
  return (
    <section className="m-card mo-report-section">
      <h2>Batches, sequence and gateway</h2>
      <Facts
        rows={[
          ['Batches received', report.batches.count],
          ['Sales in batches', report.batches.sales],
          ['Duplicates ignored', report.batches.duplicates],
          ['Flagged in batches', report.batches.flagged],
          ['Sequence issues open', report.sequenceIssues.open],
          ['Sequence issues resolved', report.sequenceIssues.resolved],
          ['Gateway: captured', amountText(report.gateway.captured, store)],
          ['Gateway: with a reference', report.gateway.withReference],
        ]}
      />
    </section>
  );
}
