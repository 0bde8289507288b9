import type { PaymentRow, PaymentView } from '@till/shared/core';
import type { PageProps } from '../page-props.ts';
import { Badge } from '../ui/Badge.tsx';
import { dateTime, money, type StoreFormat } from '../ui/format.ts';
import { FollowUpCell } from './FollowUpCell.tsx';
import { cardLabel, expiryNote, PAYMENT_STATE_LABELS, PAYMENT_STATE_TONES, paymentLabel } from './payment-labels.ts';
import { SaleLink } from './SaleLink.tsx';

interface PaymentsTableProps {
  view: PaymentView;
  payments: PaymentRow[];
  selected: ReadonlySet<string>;
  onSelect: (paymentIds: string[], selected: boolean) => void;
  store: StoreFormat;
  nowMs: number;
  navigate: PageProps['navigate'];
}

/** Why a payment is where it is, in the server's words. */
function problemOf(payment: PaymentRow): string | null {
  return payment.quarantineReason ?? payment.lastError ?? payment.message;
}

/**
 * The payments of one view with a checkbox each. On a narrow screen (a tablet upright) each row
 * becomes a card whose cells carry their column name (`data-label`, see manage-ops.css).
 */
export function PaymentsTable({ view, payments, selected, onSelect, store, nowMs, navigate }: PaymentsTableProps) {
  const allSelected = payments.length > 0 && payments.every((payment) => selected.has(payment.id));
  const declinedView = view === 'declined_after_forwarding';
  return (
    <div className="m-table-wrap">
      <table className="m-table mo-payments mo-stack mo-stack--check">
        <thead>
          <tr>
            <th className="mo-check">
              <label className="mo-select-all">
                <input
                  type="checkbox"
                  aria-label="Select all payments shown"
                  data-testid="payments-select-all"
                  checked={allSelected}
                  onChange={(event) =>
                    onSelect(
                      payments.map((payment) => payment.id),
                      event.target.checked,
                    )
                  }
                />
                <span className="mo-select-all__text">Select all {payments.length} shown</span>
              </label>
            </th>
            <th>Receipt</th>
            <th>Device · cashier</th>
            <th>Card</th>
            <th className="m-num">Amount</th>
            {!declinedView && <th>State</th>}
            {declinedView ? <th>Decline</th> : <th>Details</th>}
            {view !== 'open' && <th>Follow-up</th>}
          </tr>
        </thead>
        <tbody>
          {payments.map((payment) => {
            const label = paymentLabel(payment);
            const expiry = expiryNote(payment, nowMs);
            const problem = problemOf(payment);
            return (
              <tr
                key={payment.id}
                data-testid={`payment-row-${label}`}
                className={selected.has(payment.id) ? 'mo-selected' : undefined}
              >
                <td className="mo-check">
                  <input
                    type="checkbox"
                    aria-label={`Select payment ${label}`}
                    data-testid={`payment-select-${label}`}
                    checked={selected.has(payment.id)}
                    onChange={(event) => onSelect([payment.id], event.target.checked)}
                  />
                </td>
                <td data-label="Receipt">
                  <SaleLink
                    saleId={payment.saleId}
                    label={payment.receiptNo}
                    paymentId={payment.id}
                    navigate={navigate}
                  />
                  <div className="mo-small m-muted mo-nowrap">
                    {dateTime(payment.saleCreatedAt ?? payment.createdAt, store)}
                  </div>
                </td>
                <td data-label="Device · cashier">
                  <div>
                    {payment.deviceName} <span className="m-muted">#{payment.deviceNo}</span>
                  </div>
                  <div className="mo-small">{payment.cashier ?? 'no cashier'}</div>
                </td>
                <td data-label="Card">
                  <div className="mo-nowrap">{cardLabel(payment)}</div>
                  <div className="mo-small m-muted">
                    {payment.entry === 'stored' ? 'stored on the till' : 'taken live'}
                    {payment.storedReason && ` (${payment.storedReason.replaceAll('_', ' ')})`}
                  </div>
                </td>
                <td className="m-num" data-label="Amount">
                  {money(payment.amount, store)}
                </td>
                {!declinedView && (
                  <td data-label="State">
                    <Badge tone={PAYMENT_STATE_TONES[payment.state]} testId={`payment-state-${label}`}>
                      {PAYMENT_STATE_LABELS[payment.state]}
                    </Badge>
                    {expiry && (
                      <div className="mo-small" title={`Expires ${dateTime(payment.expiresAt, store)}`}>
                        {expiry.tone === 'neutral' ? (
                          <span className="m-muted">{expiry.text}</span>
                        ) : (
                          <Badge tone={expiry.tone} testId={`payment-expiry-${label}`}>
                            {expiry.text}
                          </Badge>
                        )}
                      </div>
                    )}
                  </td>
                )}
                {declinedView ? (
                  <td data-label="Decline" className="mo-details">
                    {payment.declineCode && <div className="m-mono">{payment.declineCode}</div>}
                    <div className="mo-small">{payment.message ?? '—'}</div>
                  </td>
                ) : (
                  <td data-label="Details" className="mo-details">
                    {problem ? <div className="mo-small">{problem}</div> : <span className="m-muted">—</span>}
                    {payment.attempts > 0 && (
                      <div className="mo-small m-muted">
                        {payment.attempts} gateway attempt{payment.attempts === 1 ? '' : 's'}
                      </div>
                    )}
                  </td>
                )}
                {view !== 'open' && (
                  <FollowUpCell payment={payment} store={store} testId={`payment-followup-${label}`} />
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
