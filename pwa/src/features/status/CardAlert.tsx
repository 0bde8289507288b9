import { useTill } from '../../app/till-context.ts';
import { acknowledgeCardAlerts } from '../../db/index.ts';
import { useCardAlerts } from '../card-payments/use-card-alerts.ts';

function count(n: number, noun: string): string {
  return `${n} stored card${n === 1 ? ' was' : 's were'} ${noun}`;
}

/** "1 stored card was declined — see Recent sales": a stored card the gateway later refused (I5). */
export function CardAlert({ onOpenHistory }: { onOpenHistory: () => void }) {
  const { db } = useTill();
  const alerts = useCardAlerts();
  if (alerts.length === 0) return null;
  const declined = alerts.filter((alert) => alert.state === 'declined').length;
  const expired = alerts.length - declined;
  const parts = [
    declined > 0 ? count(declined, 'declined') : null,
    expired > 0 ? count(expired, 'not charged in time (expired)') : null,
  ];
  const open = () => {
    void acknowledgeCardAlerts(
      db,
      alerts.map((alert) => alert.id),
      new Date().toISOString(),
    );
    onOpenHistory();
  };
  return (
    <p className="status-alert card-alert" role="alert" data-testid="alert-declined">
      <span>{parts.filter(Boolean).join('; ')} — see Recent sales.</span>
      <button type="button" className="button button-small" onClick={open}>
        See recent sales
      </button>
    </p>
  );
}
