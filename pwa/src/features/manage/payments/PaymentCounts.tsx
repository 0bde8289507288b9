import { type Amount, PAYMENT_STATES } from '@till/shared/core';
import { money, type StoreFormat } from '../ui/format.ts';
import { Stat } from '../ui/Stat.tsx';
import { PAYMENT_STATE_LABELS, PAYMENT_STATE_TONES } from './payment-labels.ts';

/** Every payment of the store by state, as the server counted them (whatever the view shows). */
export function PaymentCounts({ counts, store }: { counts: Record<string, Amount>; store: StoreFormat }) {
  return (
    <section className="m-grid mo-counts" aria-label="Card payments by state">
      {PAYMENT_STATES.map((state) => {
        const figure = counts[state] ?? { count: 0, amount: 0 };
        const tone = PAYMENT_STATE_TONES[state];
        return (
          <Stat
            key={state}
            label={PAYMENT_STATE_LABELS[state]}
            value={figure.count}
            detail={money(figure.amount, store)}
            tone={figure.count > 0 && tone !== 'neutral' ? tone : undefined}
            testId={`payments-count-${state}`}
          />
        );
      })}
    </section>
  );
}
