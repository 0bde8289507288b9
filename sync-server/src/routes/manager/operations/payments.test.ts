import { API_PREFIX, PAYMENT_STATES, type PaymentActionResponse, type PaymentsResponse, type Sale } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../../../test/gateway-helper.ts';
import { cardOf, count, rows, startTestServer, type TestServer, type TestTill } from '../../../../test/helper.ts';
import { type ManagerClient, type OtherTenant, signIn, startOtherTenant } from '../../../../test/manager-helper.ts';

/**
 * A seeded set of card payments in every state a manager acts on: captured, declined after
 * forwarding, quarantined (a token the gateway does not know), pending (not yet forwarded).
 */
let gateway: TestGateway;
let server: TestServer;
let owner: ManagerClient;
let till: TestTill;
let other: OtherTenant;
const sales: Record<'captured' | 'declined' | 'quarantined' | 'pending' | 'otherPending', Sale> = {} as never;

interface PaymentDbRow {
  state: string;
  change_no: number;
  follow_up: string | null;
  follow_up_by: string | null;
  follow_up_reason: string | null;
  written_off_by: string | null;
  written_off_reason: string | null;
  next_attempt_at: string;
}
const paymentRow = (sale: Sale) => rows<PaymentDbRow>(server.sql, 'payments', { id: cardOf(sale).id })[0];
const act = (body: unknown, options: { csrf?: string | null } = {}) =>
  owner.send('POST', owner.store('/payments/actions'), body, options);
const worker = () => {
  if (server.app.captureWorker === null) throw new Error('no capture worker');
  return server.app.captureWorker;
};

beforeAll(async () => {
  gateway = await startTestGateway();
  server = await startTestServer(gatewayEnv(gateway));
  owner = await signIn(server);
  till = await server.enroll();
  sales.captured = await till.nextCardSale();
  sales.declined = await till.nextCardSale({ gatewayToken: 'pm_card_chargeDeclined', last4: '0002' });
  sales.quarantined = await till.nextCardSale({ gatewayToken: 'pm_card_noSuchTokenAnywhere' });
  await till.push(till.pushBody([sales.captured, sales.declined, sales.quarantined]));
  await worker().runOnce();
  sales.pending = await till.nextCardSale();
  await till.push(till.pushBody([sales.pending]));
  other = await startOtherTenant(server);
  sales.otherPending = await other.till.nextCardSale();
  await other.till.push(other.till.pushBody([sales.otherPending]));
});
afterAll(async () => {
  await server.close();
  await gateway.close();
});

describe('console: payments list', () => {
  it('[MGR-9] counts every payment of the store by state (zeros too), whatever the view', async () => {
    const response = await owner.get(owner.store('/payments'), { view: 'open' });
    expect(response.statusCode).toBe(200);
    const body = response.json<PaymentsResponse>();
    expect(Object.keys(body.counts).sort()).toEqual([...PAYMENT_STATES].sort());
    expect(body.counts.captured).toEqual({ count: 1, amount: cardOf(sales.captured).amount });
    expect(body.counts.expired).toEqual({ count: 0, amount: 0 });
    expect(body.payments.map((p) => p.state).sort()).toEqual(['pending', 'quarantined']);
  });

  it('[MGR-7] declined_after_forwarding lists stored payments the gateway declined, with their sale and device', async () => {
    const body = (
      await owner.get(owner.store('/payments'), { view: 'declined_after_forwarding' })
    ).json<PaymentsResponse>();
    expect(body.payments).toHaveLength(1);
    expect(body.payments[0]).toMatchObject({
      id: cardOf(sales.declined).id,
      saleId: sales.declined.id,
      receiptNo: sales.declined.receiptNo,
      saleCreatedAt: sales.declined.createdAt,
      deviceId: till.deviceId,
      deviceName: 'Front till',
      entry: 'stored',
      state: 'declined',
      last4: '0002',
      followUp: null,
    });
    expect(JSON.stringify(body)).not.toContain('pm_card');
  });

  it('[MGR-5] pages newest first with a cursor, and filters by state', async () => {
    const first = (await owner.get(owner.store('/payments'), { limit: 3 })).json<PaymentsResponse>();
    expect(first.payments).toHaveLength(3);
    expect(first.nextBefore).not.toBeNull();
    const second = (
      await owner.get(owner.store('/payments'), { limit: 3, before: first.nextBefore ?? '' })
    ).json<PaymentsResponse>();
    expect(second.payments).toHaveLength(1);
    expect(second.nextBefore).toBeNull();
    const ids = [...first.payments, ...second.payments].map((p) => p.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids).not.toContain(cardOf(sales.otherPending).id);
    const captured = (await owner.get(owner.store('/payments'), { state: 'captured' })).json<PaymentsResponse>();
    expect(captured.payments.map((p) => p.id)).toEqual([cardOf(sales.captured).id]);
    const bad = await owner.get(owner.store('/payments'), { before: 'not-a-cursor' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('console: payment actions', () => {
  it('[MGR-3] an action without the CSRF token is refused and changes nothing', async () => {
    const before = paymentRow(sales.quarantined);
    const audits = count(server.sql, 'audit_log');
    const response = await act({ action: 'retry_now', paymentIds: [cardOf(sales.quarantined).id] }, { csrf: null });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe('csrf_failed');
    expect(paymentRow(sales.quarantined)).toEqual(before);
    expect(count(server.sql, 'audit_log')).toBe(audits);
  });

  it('[MGR-7] a write-off without a reason is 400 and changes nothing', async () => {
    const before = paymentRow(sales.pending);
    const response = await act({ action: 'write_off', paymentIds: [cardOf(sales.pending).id] });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([{ path: '/reason', message: 'is required for write_off' }]);
    expect(paymentRow(sales.pending)).toEqual(before);
  });

  it('[MGR-7][PAY-10] retry_now sends a quarantined payment back as unknown (looked up first), audited, worker woken', async () => {
    const wake = vi.spyOn(worker(), 'wake');
    const before = paymentRow(sales.quarantined);
    expect(before?.state).toBe('quarantined');
    const response = await act({ action: 'retry_now', paymentIds: [cardOf(sales.quarantined).id] });
    expect(response.statusCode).toBe(200);
    expect(response.json<PaymentActionResponse>().results).toEqual([
      { paymentId: cardOf(sales.quarantined).id, outcome: 'done', state: 'unknown', message: expect.any(String) },
    ]);
    const after = paymentRow(sales.quarantined);
    expect(after).toMatchObject({ state: 'unknown', next_attempt_at: server.clock.now().toISOString() });
    expect(after?.change_no).toBeGreaterThan(before?.change_no ?? 0);
    expect(wake).toHaveBeenCalled();
    const audit = rows<{ action: string; target_id: string; manager_name: string; detail: string }>(
      server.sql,
      'audit_log',
      { action: 'payment.retry_now' },
    ).at(-1);
    expect(audit).toMatchObject({ target_id: cardOf(sales.quarantined).id, manager_name: 'Dana Owner' });
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({
      from: 'quarantined',
      to: 'unknown',
      amount: cardOf(sales.quarantined).amount,
    });
  });

  it('[MGR-7][I5] writing off a declined stored payment keeps it declined and records the follow-up once', async () => {
    const id = cardOf(sales.declined).id;
    const before = paymentRow(sales.declined);
    const response = await act({ action: 'write_off', paymentIds: [id], reason: 'customer left, no other card' });
    expect(response.json<PaymentActionResponse>().results[0]).toMatchObject({ outcome: 'done', state: 'declined' });
    expect(paymentRow(sales.declined)).toMatchObject({
      state: 'declined',
      change_no: before?.change_no,
      follow_up: 'written_off',
      follow_up_by: 'Dana Owner <owner@demo.test>',
      follow_up_reason: 'customer left, no other card',
    });
    const again = await act({ action: 'resolve_paid_elsewhere', paymentIds: [id], reason: 'changed my mind' });
    expect(again.json<PaymentActionResponse>().results[0]).toMatchObject({ outcome: 'not_allowed', state: 'declined' });
    expect(paymentRow(sales.declined)?.follow_up).toBe('written_off');
    const audits = rows<{ reason: string }>(server.sql, 'audit_log', { action: 'payment.write_off', target_id: id });
    expect(audits.map((row) => row.reason)).toEqual(['customer left, no other card']);
  });

  it('[MGR-7][PAY-11] a pending payment paid elsewhere is written off, never charged, and the till learns it', async () => {
    const id = cardOf(sales.pending).id;
    const before = paymentRow(sales.pending);
    const response = await act({ action: 'resolve_paid_elsewhere', paymentIds: [id], reason: 'paid cash instead' });
    expect(response.json<PaymentActionResponse>().results[0]).toMatchObject({ outcome: 'done', state: 'written_off' });
    const after = paymentRow(sales.pending);
    expect(after).toMatchObject({
      state: 'written_off',
      follow_up: 'paid_elsewhere',
      written_off_by: 'Dana Owner <owner@demo.test>',
      written_off_reason: 'paid cash instead',
    });
    expect(after?.change_no).toBeGreaterThan(before?.change_no ?? 0);
    await worker().runOnce();
    expect((await gateway.ledger()).counts.byTillPaymentId[id] ?? 0).toBe(0);
    const updates = await server.app.inject({
      method: 'GET',
      url: `${API_PREFIX}/payments/updates?since=${before?.change_no ?? 0}`,
      headers: till.headers,
    });
    expect(updates.json().payments).toContainEqual(expect.objectContaining({ paymentId: id, state: 'written_off' }));
  });

  it('[MGR-7][PAY-10] captured and unknown payments cannot be written off; another tenant’s id is not_found', async () => {
    // The gateway takes the charge and the answer is lost: unknown, maybe charged.
    const unknown = await till.nextCardSale();
    await till.push(till.pushBody([unknown]));
    await gateway.control.setFault({ mode: 'commit_then_drop' });
    await worker().runOnce();
    await gateway.control.setFault({ mode: 'up' });
    expect(paymentRow(unknown)?.state).toBe('unknown');
    const unknownBefore = paymentRow(unknown);
    const capturedBefore = paymentRow(sales.captured);
    const otherBefore = rows(server.sql, 'payments', { id: cardOf(sales.otherPending).id })[0];
    const response = await act({
      action: 'write_off',
      paymentIds: [cardOf(sales.captured).id, cardOf(unknown).id, cardOf(sales.otherPending).id],
      reason: 'tidying up',
    });
    expect(response.json<PaymentActionResponse>().results).toEqual([
      expect.objectContaining({ paymentId: cardOf(sales.captured).id, outcome: 'not_allowed', state: 'captured' }),
      expect.objectContaining({ paymentId: cardOf(unknown).id, outcome: 'not_allowed', state: 'unknown' }),
      { paymentId: cardOf(sales.otherPending).id, outcome: 'not_found', state: null, message: expect.any(String) },
    ]);
    expect(paymentRow(sales.captured)).toEqual(capturedBefore);
    expect(paymentRow(unknown)).toEqual(unknownBefore);
    expect(rows(server.sql, 'payments', { id: cardOf(sales.otherPending).id })[0]).toEqual(otherBefore);
    expect(count(server.sql, 'audit_log', { reason: 'tidying up' })).toBe(0);
  });

  it('[MGR-7] retry_now on a captured payment is not allowed, with a reason a person reads', async () => {
    const response = await act({ action: 'retry_now', paymentIds: [cardOf(sales.captured).id] });
    const [result] = response.json<PaymentActionResponse>().results;
    expect(result).toMatchObject({ outcome: 'not_allowed', state: 'captured' });
    expect(result?.message).toMatch(/captured/);
  });
});
