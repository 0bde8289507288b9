import { uuidv7 } from '@till/shared';
import { describe, expect, it } from 'vitest';
import { captureMessage, captureMessageId, decodeCaptureMessage } from './capture-message.ts';

const paymentId = uuidv7();
const tenantId = uuidv7();
const publication = { tenantId, paymentId, seq: 1, nextAttemptAt: '2026-03-02T09:00:00.000Z', dueAt: '' };

describe('capture message', () => {
  it('[I4] message ids: the payment id first, then one per publication, so a retry is never a duplicate of the last', () => {
    expect(captureMessageId(paymentId, 1)).toBe(paymentId);
    expect(captureMessageId(paymentId, 2)).toBe(`${paymentId}:2`);
    expect(new Set([1, 2, 3].map((seq) => captureMessageId(paymentId, seq))).size).toBe(3);
  });

  it('[PAY-7][I8] carries ids only, scheduled for when the payment is due, sent at once when already due', () => {
    const now = new Date('2026-03-02T09:00:00.000Z');
    const later = captureMessage({ ...publication, seq: 3, dueAt: '2026-03-02T09:00:07.500Z' }, now);
    expect(later).toEqual({
      messageId: `${paymentId}:3`,
      body: { v: 1, tenantId, paymentId, seq: 3 },
      contentType: 'application/json',
      subject: 'capture',
      applicationProperties: { dueAt: '2026-03-02T09:00:07.500Z' },
      scheduledEnqueueTimeUtc: new Date('2026-03-02T09:00:07.500Z'),
    });
    expect(captureMessage({ ...publication, dueAt: '2026-03-02T08:59:00.000Z' }, now)).not.toHaveProperty(
      'scheduledEnqueueTimeUtc',
    );
  });

  it('[I9] anything but a well-formed body is poison, naming the payment when the message id does', () => {
    const body = { v: 1, tenantId, paymentId, seq: 2 };
    expect(decodeCaptureMessage({ messageId: `${paymentId}:2`, body })).toEqual({ ok: true, body });
    const poison = (messageBody: unknown, messageId: unknown = `${paymentId}:9`) =>
      decodeCaptureMessage({ messageId: messageId as string, body: messageBody });
    expect(poison('garbage')).toEqual({ ok: false, problem: 'the body is not a capture message (string)', paymentId });
    expect(poison(Buffer.from('x'), 'something-else')).toMatchObject({ ok: false, paymentId: null });
    expect(poison({ ...body, v: 2 })).toMatchObject({ ok: false, problem: 'unknown capture message version 2' });
    expect(poison({ ...body, tenantId: 'x' })).toMatchObject({
      ok: false,
      problem: 'tenantId is missing or not an id',
    });
    expect(poison({ ...body, paymentId: 7 })).toMatchObject({
      ok: false,
      problem: 'paymentId is missing or not an id',
    });
    expect(poison({ ...body, seq: 0 })).toMatchObject({ ok: false, paymentId });
  });
});
