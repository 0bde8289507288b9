import { describe, expect, it } from 'vitest';
import { asPaymentState, asPaymentView, expiryNote, formatDuration, paymentLabel } from './payment-labels.ts';

const now = Date.parse('2025-11-23T12:00:00Z');
const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();

describe('payment labels', () => {
  it('warns about a waiting payment that expires within 2 h, and only a waiting one', () => {
    expect(expiryNote({ state: 'pending', expiresAt: at(80) }, now)).toEqual({
      text: 'expires in 1 h 20 min',
      tone: 'warn',
    });
    expect(expiryNote({ state: 'unknown', expiresAt: at(600) }, now)).toEqual({
      text: 'expires in 10 h',
      tone: 'neutral',
    });
    expect(expiryNote({ state: 'quarantined', expiresAt: at(-5) }, now)?.tone).toBe('bad');
    expect(expiryNote({ state: 'captured', expiresAt: at(10) }, now)).toBeNull();
    expect(expiryNote({ state: 'declined', expiresAt: at(10) }, now)).toBeNull();
  });

  it('writes durations for people', () => {
    expect(formatDuration(45 * 60_000)).toBe('45 min');
    expect(formatDuration(60 * 60_000)).toBe('1 h');
    expect(formatDuration(50 * 3_600_000)).toBe('2 days 2 h');
  });

  it('names a payment by its receipt number, or by its id when no sale carries it yet', () => {
    expect(paymentLabel({ id: 'p1', receiptNo: 'DEMO-01-000007' })).toBe('DEMO-01-000007');
    expect(paymentLabel({ id: 'p1', receiptNo: null })).toBe('p1');
  });

  it('reads the view and state from the URL, defaulting to what needs action', () => {
    expect(asPaymentView('declined_after_forwarding')).toBe('declined_after_forwarding');
    expect(asPaymentView('nonsense')).toBe('open');
    expect(asPaymentView(null)).toBe('open');
    expect(asPaymentState('written_off')).toBe('written_off');
    expect(asPaymentState('')).toBeUndefined();
  });
});
