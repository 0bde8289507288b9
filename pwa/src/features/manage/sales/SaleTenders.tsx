import type { ManagerStore, SaleDetail } from '@till/shared/core';
import { money } from '../ui/format.ts';
import { cardLabel } from '../ui/PaymentStateBadge.tsx';

/** How the sale was paid, as the till recorded it (no gateway tokens: the server never sends them). */
export function SaleTenders({ detail, store }: { detail: SaleDetail; store: ManagerStore }) {
  return (
    <ul className="m-list">
      {detail.tenders.map((tender) => (
        <li key={tender.id}>
          {tender.kind === 'cash' ? (
            <>
              <strong>Cash {money(tender.amount, store)}</strong>
              {tender.tendered !== undefined && (
                <span className="m-muted">
                  {' '}
                  · handed over {money(tender.tendered, store)}, change {money(tender.change ?? 0, store)}
                </span>
              )}
            </>
          ) : (
            <>
              <strong>
                {cardLabel(tender)} {money(tender.amount, store)}
              </strong>
              <span className="m-muted">
                {' '}
                ·{' '}
                {tender.entry === 'live'
                  ? 'captured live at the till'
                  : tender.entry === 'stored'
                    ? 'stored on the till, forwarded later'
                    : tender.entry}
              </span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
