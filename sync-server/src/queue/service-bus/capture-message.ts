import type { ServiceBusMessage, ServiceBusReceivedMessage } from '@azure/service-bus';
import type { CapturePublication } from '../../store/payment-store.ts';

/**
 * The capture message: "look at payment X". It carries ids only — never an amount, a token or
 * anything else a worker might act on — because the worker acts on the payment row it claims in
 * SQL, never on a message (I4, I8). `seq` names the publication (see `capture_publications`).
 */
export interface CaptureMessageBody {
  v: 1;
  tenantId: string;
  paymentId: string;
  seq: number;
}

/**
 * The message id Service Bus duplicate detection keys on: the payment id for a payment's first
 * message, `${paymentId}:${seq}` for the ones after. Not `${paymentId}:${attempts}`: the attempt
 * count does not move when a payment needs a new message without a gateway call in between (a
 * manager's retry of a quarantined payment, an expedite after an outage, a message taken while
 * another worker held the payment), and the new message would be dropped as a duplicate of the
 * last one for as long as the detection window lasts.
 */
export function captureMessageId(paymentId: string, seq: number): string {
  return seq === 1 ? paymentId : `${paymentId}:${seq}`;
}

/** The message the relay sends for a publication; scheduled when it is due later than `now`. */
export function captureMessage(publication: CapturePublication, now: Date): ServiceBusMessage {
  const body: CaptureMessageBody = {
    v: 1,
    tenantId: publication.tenantId,
    paymentId: publication.paymentId,
    seq: publication.seq,
  };
  const dueAt = new Date(publication.dueAt);
  return {
    messageId: captureMessageId(publication.paymentId, publication.seq),
    body,
    contentType: 'application/json',
    subject: 'capture',
    applicationProperties: { dueAt: publication.dueAt },
    ...(dueAt.getTime() > now.getTime() && { scheduledEnqueueTimeUtc: dueAt }),
  };
}

export type DecodedCaptureMessage =
  | { ok: true; body: CaptureMessageBody }
  /** `paymentId`: the payment the message id names, when it names one, so it can be set aside. */
  | { ok: false; problem: string; paymentId: string | null };

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a received message; anything but a well-formed body is poison. */
export function decodeCaptureMessage(
  message: Pick<ServiceBusReceivedMessage, 'body' | 'messageId'>,
): DecodedCaptureMessage {
  const body: unknown = message.body;
  const named = typeof message.messageId === 'string' ? (message.messageId.split(':')[0] ?? '') : '';
  const paymentId = ID.test(named) ? named : null;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: `the body is not a capture message (${describe(body)})`, paymentId };
  }
  const fields = body as Record<string, unknown>;
  if (fields.v !== 1) return { ok: false, problem: `unknown capture message version ${String(fields.v)}`, paymentId };
  const { tenantId, paymentId: id, seq } = fields;
  if (typeof tenantId !== 'string' || !ID.test(tenantId))
    return { ok: false, problem: 'tenantId is missing or not an id', paymentId };
  if (typeof id !== 'string' || !ID.test(id))
    return { ok: false, problem: 'paymentId is missing or not an id', paymentId };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return { ok: false, problem: 'seq is missing or not a positive integer', paymentId: id };
  }
  return { ok: true, body: { v: 1, tenantId, paymentId: id, seq } };
}

function describe(body: unknown): string {
  if (body === null) return 'null';
  if (Array.isArray(body)) return 'an array';
  if (body instanceof Uint8Array) return `${body.byteLength} bytes`;
  return typeof body;
}
