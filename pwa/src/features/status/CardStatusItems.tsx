import type { StoreInfo } from '@till/shared/core';
import { useGatewayView } from '../card-payments/use-gateway-view.ts';
import { useStoredCards } from '../card-payments/use-stored-cards.ts';
import { useMoney } from '../sell/use-money.ts';
import { formatTimeLeft } from './format-time.ts';

/**
 * The status bar's card items: stored cards (count, total, time to the soonest expiry — always
 * present, "0 stored cards" when none), whether cards go live or are stored, and Recent sales.
 */
export function CardStatusItems({
  store,
  now,
  onOpenHistory,
}: {
  store: StoreInfo;
  now: number;
  onOpenHistory: () => void;
}) {
  const format = useMoney(store);
  const stored = useStoredCards();
  const gateway = useGatewayView();
  const noun = stored.count === 1 ? 'stored card' : 'stored cards';
  const detail =
    stored.count > 0
      ? ` · ${format(stored.total)}${stored.soonestExpiresAt ? ` · ${formatTimeLeft(stored.soonestExpiresAt, now)} left` : ''}`
      : '';
  return (
    <>
      <li
        data-testid="status-stored"
        className={stored.count > 0 ? 'pill pill-warn' : 'pill'}
        title="Card payments taken while the gateway could not be reached; they are charged when it is back"
      >
        {stored.count} {noun}
        {detail}
      </li>
      {gateway.label && (
        <li data-testid="status-gateway" className={gateway.mode === 'live' ? 'pill pill-ok' : 'pill pill-warn'}>
          {gateway.label}
        </li>
      )}
      <li>
        <button type="button" className="pill pill-button" data-testid="open-history" onClick={onOpenHistory}>
          Recent sales
        </button>
      </li>
    </>
  );
}
