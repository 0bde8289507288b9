import { API_PREFIX, PROTOCOL_VERSION, type ShiftEvent, type ShiftPushResponse, type UnsealedSale } from '@till/shared';
import type { LightMyRequestResponse } from 'fastify';
import type { TestTill } from './helper.ts';

/**
 * Reconciliation tests build a day's ledger through the real APIs: sales at chosen till times
 * and in chosen shifts, shift events through POST /sync/shifts.
 */

/** A sale change: made at `createdAt` (the till's clock), optionally in a shift. */
export function madeAt(
  createdAt: string,
  shift?: { shiftId: string; cashier: string },
): (sale: UnsealedSale) => UnsealedSale {
  return (sale) => ({ ...sale, createdAt, ...(shift && { shiftId: shift.shiftId, cashier: shift.cashier }) });
}

export async function pushShiftEvents(till: TestTill, events: ShiftEvent[]): Promise<ShiftPushResponse> {
  const response = await till.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/sync/shifts`,
    headers: { ...till.headers, 'content-type': 'application/json' },
    payload: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, events }),
  });
  if (response.statusCode !== 200) throw new Error(`shift push failed: ${response.statusCode} ${response.body}`);
  return response.json<ShiftPushResponse>();
}

/** The body of a 200 answer, or a failure that shows what came back. */
export function okJson<T>(response: LightMyRequestResponse): T {
  if (response.statusCode !== 200) throw new Error(`expected 200, got ${response.statusCode}: ${response.body}`);
  return response.json<T>();
}
