import type { PaymentAction, PaymentRow, PaymentState, PaymentView } from '@till/shared/core';
import { useState } from 'react';
import '../manage-ops.css';
import type { PageProps } from '../page-props.ts';
import { type ActionOutcome, ActionResults } from '../payments/ActionResults.tsx';
import { PaymentCounts } from '../payments/PaymentCounts.tsx';
import { PaymentsTable } from '../payments/PaymentsTable.tsx';
import { PaymentTabs } from '../payments/PaymentTabs.tsx';
import { asPaymentState, asPaymentView, paymentLabel } from '../payments/payment-labels.ts';
import { usePaymentAction } from '../payments/use-payment-action.ts';
import { usePayments } from '../payments/use-payments.ts';
import { DataState } from '../ui/DataState.tsx';
import { errorMessage } from '../ui/errors.ts';
import { ReasonDialog } from '../ui/ReasonDialog.tsx';
import { useNow } from '../ui/use-now.ts';

type ReasonAction = Exclude<PaymentAction, 'retry_now'>;

const REASON_DIALOGS: Record<ReasonAction, { title: string; explanation: string; confirm: string }> = {
  write_off: {
    title: 'Write off',
    explanation:
      'The shop gives up this money. A pending or quarantined payment is never charged; a declined or expired one is marked as followed up.',
    confirm: 'Write off',
  },
  resolve_paid_elsewhere: {
    title: 'Paid another way',
    explanation:
      'The customer paid another way (cash, another card). A pending or quarantined payment is never charged; a declined or expired one is marked as followed up.',
    confirm: 'Record as paid',
  },
};

const VIEW_EMPTY: Record<PaymentView, string> = {
  open: 'No card payment needs action: nothing pending, unknown or quarantined.',
  declined_after_forwarding: 'No stored card payment was declined after forwarding.',
  all: 'No card payments match.',
};

/** Card payments: what needs action, what was declined after forwarding, and acting on them (MGR-7). */
export function PaymentsPage({ store, navigate, params }: PageProps) {
  const view = asPaymentView(params.get('view'));
  const state = view === 'all' ? asPaymentState(params.get('state')) : undefined;
  const query = usePayments(store.id, { view, state });
  const action = usePaymentAction(store.id);
  const nowMs = useNow();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [asking, setAsking] = useState<ReasonAction | null>(null);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);

  const payments: PaymentRow[] = query.data?.pages.flatMap((page) => page.payments) ?? [];
  const counts = query.data?.pages[0]?.counts;
  // Only rows on screen can be acted on; a selection that scrolled out of the view is dropped.
  const chosen = payments.filter((payment) => selected.has(payment.id));

  const changeView = (nextView: PaymentView, nextState: PaymentState | undefined) => {
    setSelected(new Set());
    navigate('payments', nextState ? { view: nextView, state: nextState } : { view: nextView });
  };

  const select = (paymentIds: string[], on: boolean) => {
    setSelected((previous) => {
      const next = new Set(previous);
      for (const id of paymentIds) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  };

  const run = (kind: PaymentAction, reason?: string) => {
    const labels = new Map(chosen.map((payment) => [payment.id, paymentLabel(payment)]));
    action.mutate(
      { action: kind, paymentIds: [...labels.keys()], ...(reason === undefined ? {} : { reason }) },
      {
        onSuccess: (answer) => {
          setOutcome({ action: kind, results: answer.results, labels });
          setSelected(new Set());
          setAsking(null);
        },
      },
    );
  };

  const ask = (kind: ReasonAction) => {
    action.reset();
    setAsking(kind);
  };

  return (
    <div className="m-page mo-page">
      <div className="m-page__head">
        <h1>Card payments</h1>
      </div>
      {counts && <PaymentCounts counts={counts} store={store} />}
      <PaymentTabs view={view} state={state} onChange={changeView} />
      <section className="m-toolbar mo-actions" aria-label="Act on the selected payments">
        <span className="m-muted" data-testid="payments-selected-count">
          {chosen.length === 0 ? 'None selected' : `${chosen.length} selected`}
        </span>
        <button
          type="button"
          className="m-btn m-btn--primary"
          data-testid="payments-retry"
          disabled={chosen.length === 0 || action.isPending}
          onClick={() => run('retry_now')}
        >
          Retry now
        </button>
        <button
          type="button"
          className="m-btn"
          data-testid="payments-write-off"
          disabled={chosen.length === 0 || action.isPending}
          onClick={() => ask('write_off')}
        >
          Write off…
        </button>
        <button
          type="button"
          className="m-btn"
          data-testid="payments-paid-elsewhere"
          disabled={chosen.length === 0 || action.isPending}
          onClick={() => ask('resolve_paid_elsewhere')}
        >
          Paid another way…
        </button>
      </section>
      {asking === null && action.isError && (
        <p className="m-state m-state--error" role="alert">
          {errorMessage(action.error)}
        </p>
      )}
      {outcome && <ActionResults outcome={outcome} onDismiss={() => setOutcome(null)} />}
      <DataState query={query} isEmpty={() => payments.length === 0} empty={VIEW_EMPTY[view]}>
        {() => (
          <>
            <PaymentsTable
              view={view}
              payments={payments}
              selected={selected}
              onSelect={select}
              store={store}
              nowMs={nowMs}
              navigate={navigate}
            />
            {query.hasNextPage && (
              <button
                type="button"
                className="m-btn mo-more"
                disabled={query.isFetchingNextPage}
                onClick={() => query.fetchNextPage()}
              >
                {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )}
      </DataState>
      {asking !== null && (
        <ReasonDialog
          title={`${REASON_DIALOGS[asking].title}: ${chosen.length} payment${chosen.length === 1 ? '' : 's'}`}
          testId="action-dialog"
          explanation={REASON_DIALOGS[asking].explanation}
          reasonTestId="action-reason"
          confirmLabel={REASON_DIALOGS[asking].confirm}
          confirmTestId="action-confirm"
          pendingLabel="Working…"
          tone="danger"
          pending={action.isPending}
          error={action.error}
          onConfirm={(reason) => run(asking, reason)}
          onClose={() => setAsking(null)}
        />
      )}
    </div>
  );
}
