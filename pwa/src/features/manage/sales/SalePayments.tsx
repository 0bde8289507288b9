import type { ManagerStore, PaymentState, SaleDetail } from '@till/shared/core';
import type { ReactNode } from 'react';
import { dateTime, exactTime, money } from '../ui/format.ts';
import { cardLabel, PaymentStateBadge } from '../ui/PaymentStateBadge.tsx';

/** States in which the payment may still expire. */
const OPEN_STATES: ReadonlySet<PaymentState> = new Set(['pending', 'unknown', 'quarantined']);

type PaymentWithAttempts = SaleDetail['payments'][number];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One card payment's life on the server: state, the why of it, and every gateway attempt. */
function PaymentCard({ entry, store }: { entry: PaymentWithAttempts; store: ManagerStore }) {
  const { payment, attempts } = entry;
  return (
    <article className="m-card" data-testid={`sale-payment-${payment.id}`}>
      <h4 className="m-card__title">
        {cardLabel(payment)} · {money(payment.amount, store)} <PaymentStateBadge state={payment.state} />
      </h4>
      <dl className="m-facts">
        <Fact label="Taken">
          {payment.entry === 'live'
            ? 'live, at the till'
            : `stored on the till (${payment.storedReason?.replaceAll('_', ' ') ?? 'reason not given'})`}
        </Fact>
        <Fact label="Payment id">
          <span className="m-mono">{payment.id}</span>
        </Fact>
        {payment.gatewayRef && (
          <Fact label="Gateway reference">
            <span className="m-mono">{payment.gatewayRef}</span>
          </Fact>
        )}
        {payment.capturedAt && <Fact label="Captured">{dateTime(payment.capturedAt, store)}</Fact>}
        {OPEN_STATES.has(payment.state) && <Fact label="Expires">{dateTime(payment.expiresAt, store)}</Fact>}
        {(payment.declineCode || payment.message) && (
          <Fact label="Gateway said">
            {payment.declineCode && <span className="m-mono">{payment.declineCode}</span>} {payment.message}
          </Fact>
        )}
        {payment.lastError && <Fact label="Last error">{payment.lastError}</Fact>}
        {payment.quarantineReason && <Fact label="Quarantined because">{payment.quarantineReason}</Fact>}
        {payment.followUp && (
          <Fact label={payment.followUp === 'written_off' ? 'Written off' : 'Paid elsewhere'}>
            by {payment.followUpBy ?? 'unknown'}, {dateTime(payment.followUpAt, store)}: “{payment.followUpReason}”
          </Fact>
        )}
      </dl>
      {attempts.length === 0 ? (
        <p className="m-muted">No gateway attempt yet.</p>
      ) : (
        <div className="m-table-wrap">
          <table className="m-table" aria-label="Gateway attempts">
            <thead>
              <tr>
                <th scope="col" className="m-num">
                  #
                </th>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Outcome</th>
                <th scope="col">Code</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((attempt) => (
                <tr key={attempt.n}>
                  <td className="m-num">{attempt.n}</td>
                  <td title={`finished ${exactTime(attempt.finishedAt, store)}`}>
                    {exactTime(attempt.startedAt, store)}
                  </td>
                  <td>{attempt.kind}</td>
                  <td>{attempt.outcome}</td>
                  <td className="m-mono">{attempt.code ?? ''}</td>
                  <td>{attempt.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

export function SalePayments({ detail, store }: { detail: SaleDetail; store: ManagerStore }) {
  if (detail.payments.length === 0) return <p className="m-muted">No card payments on this sale.</p>;
  return (
    <>
      {detail.payments.map((entry) => (
        <PaymentCard key={entry.payment.id} entry={entry} store={store} />
      ))}
    </>
  );
}
