import { PAYMENT_STATES, type PaymentState, type PaymentView } from '@till/shared/core';
import { asPaymentState, PAYMENT_STATE_LABELS } from './payment-labels.ts';

const VIEWS: { view: PaymentView; label: string; testId: string }[] = [
  { view: 'open', label: 'Needs action', testId: 'payments-view-open' },
  { view: 'declined_after_forwarding', label: 'Declined after forwarding', testId: 'payments-view-declined' },
  { view: 'all', label: 'All', testId: 'payments-view-all' },
];

interface PaymentTabsProps {
  view: PaymentView;
  state: PaymentState | undefined;
  onChange: (view: PaymentView, state: PaymentState | undefined) => void;
}

/** The three views of the payments list, and the state filter of "All". */
export function PaymentTabs({ view, state, onChange }: PaymentTabsProps) {
  return (
    <div className="m-toolbar mo-tabs-bar">
      <div className="mo-tabs" role="tablist" aria-label="Which payments">
        {VIEWS.map((tab) => (
          <button
            key={tab.view}
            type="button"
            role="tab"
            aria-selected={tab.view === view}
            className={`mo-tab${tab.view === view ? ' mo-tab--on' : ''}`}
            data-testid={tab.testId}
            onClick={() => onChange(tab.view, undefined)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {view === 'all' && (
        <div className="m-field mo-inline-field">
          <label htmlFor="payments-state">State</label>
          <select
            id="payments-state"
            data-testid="payments-state"
            value={state ?? ''}
            onChange={(event) => onChange('all', asPaymentState(event.target.value))}
          >
            <option value="">Any state</option>
            {PAYMENT_STATES.map((option) => (
              <option key={option} value={option}>
                {PAYMENT_STATE_LABELS[option]}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
