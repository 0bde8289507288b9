import type { PaymentRow } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import { dateTime, type StoreFormat } from '../ui/format.ts';

const FOLLOW_UP_TEXT = { written_off: 'Written off', paid_elsewhere: 'Paid another way' } as const;

/** What a manager decided about a payment that was not captured, or that nobody has yet. */
export function FollowUpCell({ payment, store, testId }: { payment: PaymentRow; store: StoreFormat; testId: string }) {
  if (payment.followUp !== null) {
    return (
      <td data-testid={testId} data-label="Follow-up">
        <Badge tone="ok">{FOLLOW_UP_TEXT[payment.followUp]}</Badge>
        <div className="mo-small">
          {payment.followUpBy ?? 'a manager'}, {dateTime(payment.followUpAt, store)}
        </div>
        {payment.followUpReason && <div className="mo-small m-muted">“{payment.followUpReason}”</div>}
      </td>
    );
  }
  const needsOne = payment.state === 'declined' || payment.state === 'expired';
  return (
    <td data-testid={testId} data-label="Follow-up">
      {needsOne ? <Badge tone="warn">Needs follow-up</Badge> : '—'}
    </td>
  );
}
