import type { PaymentAction, PaymentActionResponse } from '@till/shared/core';
import { Badge } from '../ui/Badge.tsx';
import { PAYMENT_ACTION_LABELS, PAYMENT_STATE_LABELS } from './payment-labels.ts';

export interface ActionOutcome {
  action: PaymentAction;
  results: PaymentActionResponse['results'];
  /** Payment id → what the row was called when it was acted on (it may have left the view since). */
  labels: ReadonlyMap<string, string>;
}

const OUTCOME_TEXT = { done: 'Done', not_allowed: 'Not allowed', not_found: 'Not found' } as const;
const OUTCOME_TONE = { done: 'ok', not_allowed: 'bad', not_found: 'warn' } as const;

/** The server's answer for each payment of one action (MGR-7), kept until dismissed. */
export function ActionResults({ outcome, onDismiss }: { outcome: ActionOutcome; onDismiss: () => void }) {
  const done = outcome.results.filter((result) => result.outcome === 'done').length;
  return (
    <section className="m-card mo-results" data-testid="action-results" aria-live="polite">
      <div className="mo-results__head">
        <h2>
          {PAYMENT_ACTION_LABELS[outcome.action]}: {done} of {outcome.results.length} done
        </h2>
        <button type="button" className="m-btn" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <ul className="mo-results__list">
        {outcome.results.map((result) => (
          <li
            key={result.paymentId}
            data-testid={`action-result-${outcome.labels.get(result.paymentId) ?? result.paymentId}`}
          >
            <span className="m-mono">{outcome.labels.get(result.paymentId) ?? result.paymentId}</span>
            <Badge tone={OUTCOME_TONE[result.outcome]}>{OUTCOME_TEXT[result.outcome]}</Badge>
            {result.state !== null && <span className="m-muted">now {PAYMENT_STATE_LABELS[result.state]}</span>}
            {result.message && <span>{result.message}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
