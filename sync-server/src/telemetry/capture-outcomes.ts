import type { PaymentState } from '@till/shared';
import type { PaymentStore, PaymentWork } from '../store/payment-store.ts';

/** What one piece of capture work left behind, as telemetry counts it. */
export interface CaptureOutcome {
  /** The payment's new state, or `lease_lost` when the store did not apply the change. */
  outcome: PaymentState | 'lease_lost';
  /** Live capture (a till waiting at the counter) or the capture worker draining the queue. */
  path: 'live' | 'worker';
}

/** Live captures take their lease as `live:<uuid>` (see `payments/live-capture.ts`). */
const LIVE_OWNER_PREFIX = 'live:';

export function captureOutcomeOf(work: PaymentWork, applied: boolean): CaptureOutcome {
  return {
    outcome: applied ? work.change.state : 'lease_lost',
    path: work.owner.startsWith(LIVE_OWNER_PREFIX) ? 'live' : 'worker',
  };
}

/**
 * Counts every capture outcome where all of them are recorded: `finishPaymentWork`, which live
 * capture and every capture worker (whatever queue feeds it) call to write an outcome to the
 * ledger — the source of truth. Wrapping the store's method here, rather than adding a hook to
 * each caller, keeps the payment code and the queues free of telemetry. Only the outcome and the
 * path are passed on: never the payment, its token or its card (I8).
 *
 * Returns a function that puts the original method back.
 */
export function observeCaptureOutcomes(
  store: Pick<PaymentStore, 'finishPaymentWork'>,
  record: (outcome: CaptureOutcome) => void,
): () => void {
  const original = store.finishPaymentWork;
  const observed: PaymentStore['finishPaymentWork'] = async (work) => {
    const applied = await original.call(store, work);
    try {
      record(captureOutcomeOf(work, applied));
    } catch {
      // Telemetry must never turn a recorded outcome into a failure.
    }
    return applied;
  };
  store.finishPaymentWork = observed;
  return () => {
    if (store.finishPaymentWork === observed) store.finishPaymentWork = original;
  };
}
