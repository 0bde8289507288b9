import { PAYMENT_STATES, type PaymentUpdatesResponse } from '@till/shared/core';
import { type ApiTarget, getPaymentUpdates } from '../../api/endpoints.ts';
import { describeFailure } from '../../api/http.ts';
import { applyPaymentUpdates, getDevice, getMeta, type TillDb } from '../../db/index.ts';

export type PaymentUpdatesOutcome =
  | { kind: 'applied'; applied: number; cursor: number; unknownIds: string[] }
  | { kind: 'not_enrolled' }
  | { kind: 'failed'; message: string };

/** At most this many pages per pull; the next trigger carries on from the stored cursor. */
const MAX_PAGES = 20;

/**
 * Brings the journal up to date with the server's word on this device's card payments: asks
 * for changes since the stored cursor and applies each answer, cursor included, in one
 * transaction. A failure changes nothing; the next trigger asks again from the same cursor.
 */
export async function pullPaymentUpdates(
  db: TillDb,
  target: ApiTarget,
  now: () => number,
): Promise<PaymentUpdatesOutcome> {
  const device = await getDevice(db);
  if (!device) return { kind: 'not_enrolled' };
  let since = (await getMeta(db, 'paymentUpdatesCursor')) ?? 0;
  let applied = 0;
  const unknownIds: string[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await getPaymentUpdates(target, device.token, since);
    if (answer.kind !== 'ok') return { kind: 'failed', message: describeFailure(answer) };
    if (!isUpdatesAnswer(answer.body))
      return { kind: 'failed', message: 'The server sent an unreadable payment update' };
    const result = await applyPaymentUpdates(db, answer.body, new Date(now()).toISOString());
    applied += result.applied;
    unknownIds.push(...result.unknownIds);
    const advanced = answer.body.cursor > since;
    since = Math.max(since, answer.body.cursor);
    if (!advanced || answer.body.payments.length === 0) break;
  }
  return { kind: 'applied', applied, cursor: since, unknownIds };
}

/** A light check of the answer's shape: a bad state must never be written into the journal. */
function isUpdatesAnswer(body: unknown): body is PaymentUpdatesResponse {
  if (typeof body !== 'object' || body === null) return false;
  const { cursor, payments } = body as Record<string, unknown>;
  if (!Number.isInteger(cursor) || (cursor as number) < 0 || !Array.isArray(payments)) return false;
  return payments.every(
    (update: unknown) =>
      typeof update === 'object' &&
      update !== null &&
      typeof (update as Record<string, unknown>).paymentId === 'string' &&
      typeof (update as Record<string, unknown>).updatedAt === 'string' &&
      (PAYMENT_STATES as readonly unknown[]).includes((update as Record<string, unknown>).state),
  );
}
