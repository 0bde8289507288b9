import type {
  CaptureRequest,
  CaptureResponse,
  GatewayHealth,
  PaymentState,
  PaymentUpdate,
  PaymentUpdatesResponse,
  Sale,
} from '@till/shared/core';

/**
 * What the fake server does with the next live capture:
 * - `gateway`: answer like the gateway simulator's test cards (visa/mastercard capture, the
 *   decline tokens decline);
 * - `hang`: never answer; `drop`: destroy the connection;
 * - `{ delayMs }`: answer like `gateway` after a delay;
 * - a status with a body (and headers): answer that (503 `gateway_unavailable`, 504…), after
 *   `delayMs` if given (a server whose own gateway call timed out answers 504 late).
 */
export type CaptureBehaviour =
  | 'gateway'
  | 'hang'
  | 'drop'
  | { delayMs: number }
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };

export const GATEWAY_DOWN: CaptureBehaviour = {
  status: 503,
  body: { error: 'gateway_unavailable', message: 'The card gateway is unavailable' },
  headers: { 'retry-after': '30' },
};
export const GATEWAY_TIMEOUT: CaptureBehaviour = {
  status: 504,
  body: { error: 'gateway_timeout', message: 'The card gateway did not answer in time' },
};

interface ServerPayment {
  update: PaymentUpdate;
  changeNo: number;
  /** How it reached the server: a live capture request, or a stored tender in a pushed sale. */
  via: 'capture' | 'push';
}

const DECLINES: Readonly<Record<string, { declineCode: string; message: string }>> = {
  pm_card_chargeDeclined: { declineCode: 'generic_decline', message: 'Your card was declined.' },
  pm_card_chargeDeclinedInsufficientFunds: {
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
};

/**
 * The payments side of the fake server: live captures answered as told, a payment row per id
 * (never two: the id is the idempotency key), rows for stored tenders of pushed sales, and the
 * updates feed with a cursor. `settle` plays the capture worker's outcome.
 */
export class FakePayments {
  readonly captures: Array<{ request: CaptureRequest; authorization: string | undefined }> = [];
  readonly behaviours: CaptureBehaviour[] = [];
  readonly payments = new Map<string, ServerPayment>();
  gateway: GatewayHealth | undefined = { breaker: 'closed', retryAfterSeconds: 0, backlog: 0 };
  /** Runs when a capture arrives, before it is answered: lets a test look at the till meanwhile. */
  onCapture: ((request: CaptureRequest) => Promise<void>) | null = null;
  private changeNo = 0;

  /** The gateway's answer to a capture this fake lets through. */
  answer(request: CaptureRequest): CaptureResponse {
    const decline = DECLINES[request.gatewayToken];
    const existing = this.payments.get(request.paymentId);
    if (existing?.update.state === 'captured') {
      return {
        paymentId: request.paymentId,
        status: 'captured',
        gatewayRef: existing.update.gatewayRef,
        declineCode: null,
        message: 'Approved',
      };
    }
    const response: CaptureResponse = decline
      ? {
          paymentId: request.paymentId,
          status: 'declined',
          gatewayRef: null,
          declineCode: decline.declineCode,
          message: decline.message,
        }
      : {
          paymentId: request.paymentId,
          status: 'captured',
          gatewayRef: `ch_${request.paymentId.slice(-12)}`,
          declineCode: null,
          message: 'Approved',
        };
    this.upsert(request.paymentId, request.saleId, request.amount, 'capture', {
      state: response.status,
      gatewayRef: response.gatewayRef,
      declineCode: response.declineCode,
      message: response.message,
    });
    return response;
  }

  /** A committed sale's stored card tenders become pending payments (the outbox), once each. */
  onSaleCommitted(sale: Sale): void {
    for (const tender of sale.tenders) {
      if (tender.kind !== 'card' || tender.entry !== 'stored' || this.payments.has(tender.id)) continue;
      this.upsert(tender.id, sale.id, tender.amount, 'push', { state: 'pending' });
    }
  }

  /** The capture worker's verdict on a payment, reported through the updates feed. */
  settle(paymentId: string, state: PaymentState, extra: Partial<PaymentUpdate> = {}): void {
    const existing = this.payments.get(paymentId);
    if (!existing) throw new Error(`no payment ${paymentId}`);
    this.upsert(paymentId, existing.update.saleId, existing.update.amount, existing.via, { ...extra, state });
  }

  updates(since: number): PaymentUpdatesResponse {
    const changed = [...this.payments.values()]
      .filter((payment) => payment.changeNo > since)
      .sort((a, b) => a.changeNo - b.changeNo);
    return {
      cursor: Math.max(since, ...changed.map((payment) => payment.changeNo)),
      payments: changed.map((p) => p.update),
    };
  }

  private upsert(
    paymentId: string,
    saleId: string | null,
    amount: number,
    via: ServerPayment['via'],
    change: Partial<PaymentUpdate>,
  ): void {
    const previous = this.payments.get(paymentId)?.update;
    this.changeNo += 1;
    const update: PaymentUpdate = {
      paymentId,
      saleId,
      amount,
      state: 'pending',
      gatewayRef: null,
      declineCode: null,
      message: null,
      expiresAt: new Date(Date.now() + 24 * 3_600_000).toISOString(),
      ...previous,
      ...change,
      updatedAt: new Date(Date.now() + this.changeNo).toISOString(),
    };
    this.payments.set(paymentId, { update, changeNo: this.changeNo, via });
  }
}
