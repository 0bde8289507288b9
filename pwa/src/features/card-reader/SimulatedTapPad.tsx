import { useSyncExternalStore } from 'react';
import type { SimulatedTapReader } from './simulated-tap-reader.ts';
import { TEST_CARDS } from './test-cards.ts';
import './card-reader.css';

/** The simulated reader's screen: big test cards to "tap" while a read waits. */
export function SimulatedTapPad({ reader }: { reader: SimulatedTapReader }) {
  const pending = useSyncExternalStore(reader.subscribe, reader.getPending);
  return (
    <div className="tap-pad">
      <p className="tap-pad-hint">{pending ? 'Simulated reader — tap a test card' : 'Enter an amount to take'}</p>
      <div className="tap-pad-cards">
        {TEST_CARDS.map((card) => (
          <button
            type="button"
            key={card.testId}
            className={`tap-card tap-card-${card.read.brand}`}
            data-testid={card.testId}
            disabled={!pending}
            onClick={() => reader.tap(card.read)}
          >
            <span className="tap-card-brand">{card.label}</span>
            <span className="tap-card-digits">···· {card.read.last4}</span>
            <span className="tap-card-outcome">{card.outcome}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
