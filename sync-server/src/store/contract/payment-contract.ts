import { GENESIS_HASH } from '@till/shared';
import { expect, it } from 'vitest';
import type { AttemptRecord, PaymentRecord, PaymentWork } from '../payment-store.ts';
import { at, ContractShop, cardOf, payByCard } from './fixtures.ts';
import type { CurrentLedger } from './ledger-contract.ts';

/** PAY-3, PAY-6, PAY-11: the capture outbox, leases, and the till's payment cursor. */
export function paymentContract(ledger: CurrentLedger): void {
  it('[PAY-3] card tenders of a new sale become pending payments with the sale; none for a duplicate, a conflict or a refused push', async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll();
    const sale = await till.nextCardSale();
    const card = cardOf(sale);
    await till.pushStored([sale], { receivedAt: at(5) });

    const [payment, ...others] = await ledger().listPayments();
    expect(others).toEqual([]);
    expect(payment).toMatchObject({
      id: card.id,
      tenantId: shop.tenantId,
      storeId: shop.store.id,
      deviceId: till.deviceId,
      saleId: sale.id,
      saleReceivedAt: at(5),
      state: 'pending',
      amount: card.amount,
      entry: 'stored',
      gatewayToken: card.gatewayToken,
      // The sale's time on the till + the store's maxAgeMinutes (24 h).
      expiresAt: new Date(Date.parse(sale.createdAt) + 24 * 3_600_000).toISOString(),
    });
    expect(await ledger().paymentBacklog()).toBe(1);

    // A duplicate queues nothing and touches nothing (not even the change cursor).
    expect((await till.pushStored([sale], { receivedAt: at(6) })).results[0]?.status).toBe('duplicate');
    // A conflicting copy (same sale id, another card tender) queues nothing either.
    const conflicting = await till.makeSale(1, GENESIS_HASH, (s) => ({ ...payByCard(s), id: sale.id }));
    expect((await till.pushStored([conflicting], { receivedAt: at(7) })).results[0]?.flags).toEqual([
      'payload_conflict',
    ]);
    // A push refused as a whole (the device was revoked meanwhile) writes no payment.
    const refused = await till.nextCardSale();
    await ledger().revokeDevice(till.deviceId, at(8));
    expect((await till.push([refused], { receivedAt: at(9) })).kind).toBe('device_revoked');

    expect(await ledger().listPayments()).toEqual([payment]);
    expect(await ledger().paymentBacklog()).toBe(1);
  });

  it('[PAY-6] concurrent claimDuePayments from several workers never hand one payment to two holders', async () => {
    const { paymentIds } = await duePayments(ledger, 50);
    const claims = await Promise.all(
      [1, 2, 3, 4].map((worker) =>
        ledger().claimDuePayments({ owner: `worker-${worker}`, expiresAt: at(120) }, at(60), 15),
      ),
    );
    const claimed = claims.flat().map((payment) => payment.id);
    expect(claimed.length).toBe(new Set(claimed).size);
    expect([...claimed].sort()).toEqual([...paymentIds].sort());
    // Every one is leased now: nothing is left to claim until the leases lapse.
    expect(await ledger().claimDuePayments({ owner: 'worker-5', expiresAt: at(180) }, at(61), 50)).toEqual([]);
  });

  it('[PAY-6] a lapsed lease can be claimed again; a live one cannot', async () => {
    const { paymentIds } = await duePayments(ledger, 3);
    const first = await ledger().claimDuePayments({ owner: 'worker-1', expiresAt: at(120) }, at(60), 10);
    expect(first.map((p) => p.id).sort()).toEqual([...paymentIds].sort());
    expect(await ledger().claimDuePayments({ owner: 'worker-2', expiresAt: at(179) }, at(119), 10)).toEqual([]);
    const again = await ledger().claimDuePayments({ owner: 'worker-2', expiresAt: at(181) }, at(121), 10);
    expect(again.map((p) => p.id).sort()).toEqual([...paymentIds].sort());

    // The first holder's late, non-final outcome is not applied: the payment is worker-2's now.
    const [payment] = again;
    if (payment === undefined) throw new Error('a claimed payment expected');
    expect(await ledger().finishPaymentWork(retryLater(payment, 'worker-1', at(130)))).toBe(false);
    expect(await ledger().finishPaymentWork(retryLater(payment, 'worker-2', at(131)))).toBe(true);
    expect(await stateOf(ledger, payment.id)).toMatchObject({ state: 'pending', lastError: 'gateway timed out' });
  });

  it('[PAY-6] finishPaymentWork with a lost lease does not overwrite a final state', async () => {
    const { paymentIds } = await duePayments(ledger, 1);
    const [paymentId] = paymentIds;
    if (paymentId === undefined) throw new Error('one payment expected');
    await ledger().claimDuePayments({ owner: 'worker-1', expiresAt: at(120) }, at(60), 10);
    const [payment] = await ledger().claimDuePayments({ owner: 'worker-2', expiresAt: at(200) }, at(121), 10);
    if (payment === undefined) throw new Error('the lapsed lease should have been claimed');

    const captured: PaymentWork = {
      tenantId: payment.tenantId,
      paymentId,
      owner: 'worker-2',
      attempts: [attempt('captured', at(122))],
      change: { state: 'captured', gatewayRef: 'ch_contract_1', capturedAt: at(122) },
      now: at(122),
    };
    expect(await ledger().finishPaymentWork(captured)).toBe(true);
    // worker-1's call outlived its lease and comes back late, with a retry and then a decline.
    expect(await ledger().finishPaymentWork(retryLater(payment, 'worker-1', at(123)))).toBe(false);
    const declined: PaymentWork = {
      ...captured,
      owner: 'worker-1',
      attempts: [attempt('declined', at(124))],
      change: { state: 'declined', declineCode: 'card_declined' },
      now: at(124),
    };
    expect(await ledger().finishPaymentWork(declined)).toBe(false);

    expect(await stateOf(ledger, paymentId)).toMatchObject({
      state: 'captured',
      gatewayRef: 'ch_contract_1',
      declineCode: null,
    });
    // Every attempt is logged, applied or not.
    const attempts = await ledger().attemptsOf(paymentId);
    expect(attempts.map((a) => [a.n, a.workerId, a.outcome])).toEqual([
      [1, 'worker-2', 'captured'],
      [2, 'worker-1', 'retryable'],
      [3, 'worker-1', 'declined'],
    ]);
  });

  it("[PAY-11] paymentUpdates returns the device's changed payments oldest change first, with a cursor", async () => {
    const shop = await ContractShop.open(ledger(), 'ALFA');
    const till = await shop.enroll('Front till');
    const other = await shop.enroll('Back till');
    const sales = [await till.nextCardSale(), await till.nextCardSale(), await till.nextCardSale()];
    const [p1, p2, p3] = sales.map((sale) => cardOf(sale).id);
    await till.pushStored(sales, { receivedAt: at(1) });
    await other.pushStored([await other.nextCardSale()], { receivedAt: at(2) });

    const all = await ledger().paymentUpdates(till.device, 0, 500);
    expect(all.payments.map((p) => p.paymentId)).toEqual([p1, p2, p3]);
    expect(all.payments.map((p) => p.state)).toEqual(['pending', 'pending', 'pending']);

    // p1 is captured: it moves to the end of the cursor order, and only it is new since `all`.
    const claimed = await ledger().claimDuePayments({ owner: 'worker-1', expiresAt: at(120) }, at(60), 10);
    const first = claimed.find((p) => p.id === p1);
    if (first === undefined) throw new Error('p1 should be due');
    const work: PaymentWork = {
      tenantId: first.tenantId,
      paymentId: first.id,
      owner: 'worker-1',
      attempts: [attempt('captured', at(61))],
      change: { state: 'captured', gatewayRef: 'ch_contract_2', capturedAt: at(61) },
      now: at(61),
    };
    expect(await ledger().finishPaymentWork(work)).toBe(true);
    const since = await ledger().paymentUpdates(till.device, all.cursor, 500);
    expect(since.payments.map((p) => [p.paymentId, p.state, p.gatewayRef])).toEqual([
      [p1, 'captured', 'ch_contract_2'],
    ]);
    expect(since.cursor).toBeGreaterThan(all.cursor);
    expect(await ledger().paymentUpdates(till.device, since.cursor, 500)).toEqual({
      cursor: since.cursor,
      payments: [],
    });

    // Paged: a page of two, then the rest from its cursor.
    const page = await ledger().paymentUpdates(till.device, 0, 2);
    expect(page.payments.map((p) => p.paymentId)).toEqual([p2, p3]);
    const rest = await ledger().paymentUpdates(till.device, page.cursor, 2);
    expect(rest.payments.map((p) => p.paymentId)).toEqual([p1]);
    // A cursor ahead of the ledger (it was reset under the till) starts again from 0.
    const reset = await ledger().paymentUpdates(till.device, 1_000_000_000, 500);
    expect(reset.payments.map((p) => p.paymentId)).toEqual([p2, p3, p1]);
  });
}

/** `count` stored card payments confirmed by pushed sales, due from `at(1)`. */
async function duePayments(ledger: CurrentLedger, count: number): Promise<{ paymentIds: string[] }> {
  const shop = await ContractShop.open(ledger(), 'ALFA');
  const till = await shop.enroll();
  const sales = [];
  for (let i = 0; i < count; i += 1) sales.push(await till.nextCardSale());
  await till.pushStored(sales, { receivedAt: at(1) });
  return { paymentIds: sales.map((sale) => cardOf(sale).id) };
}

function attempt(outcome: AttemptRecord['outcome'], finishedAt: string): AttemptRecord {
  return { kind: 'capture', startedAt: finishedAt, finishedAt, outcome, code: null, message: null, retryAfterMs: null };
}

/** A gateway timeout that proves nothing was charged: stay pending, try again later. */
function retryLater(payment: PaymentRecord, owner: string, now: string): PaymentWork {
  return {
    tenantId: payment.tenantId,
    paymentId: payment.id,
    owner,
    attempts: [attempt('retryable', now)],
    change: { state: 'pending', nextAttemptAt: at(600), lastError: 'gateway timed out' },
    now,
  };
}

async function stateOf(ledger: CurrentLedger, paymentId: string): Promise<PaymentRecord | undefined> {
  return (await ledger().listPayments()).find((payment) => payment.id === paymentId);
}
