import { canonicalJson, type ShiftEvent, type ShiftEventResult, uuidv7 } from '@till/shared';
import type { Kysely, Transaction, Updateable } from 'kysely';
import { sha256HexSync } from '../../credentials.ts';
import type { DeviceContext } from '../ledger-store.ts';
import type { LedgerTables, ShiftsTable } from '../tables.ts';
import { runInTransaction } from './ledger-dialect.ts';

/**
 * Ingests a till's shift events (SPEC SHIFT-1, SHIFT-2) in ONE immediate transaction, so the
 * answer lists exactly what is durably committed and the till may mark those sent (I6).
 *
 * Per event, in the order sent:
 * 1. A stored event with this id (this tenant) from this device with the same canonical
 *    payload → `duplicate`, nothing written.
 * 2. The same id with other content, or from another device → `conflict`: the newcomer is kept
 *    aside in `shift_event_conflicts` (once per distinct payload), nothing applied.
 * 3. An event naming a shift that belongs to another device → `conflict`, likewise.
 * 4. Otherwise the event is stored and folded into its `shifts` row, which the first event of
 *    any kind creates: events may arrive in any order (a close before its open), and every
 *    kind writes only its own columns, so the row is the same whatever the order.
 */
export async function pushShiftEvents(
  db: Kysely<LedgerTables>,
  device: DeviceContext,
  events: readonly ShiftEvent[],
  receivedAt: string,
): Promise<ShiftEventResult[]> {
  const prepared = events.map((event) => {
    const payload = canonicalJson(event);
    return { event, payload, payloadHash: sha256HexSync(payload) };
  });
  return runInTransaction(db, async (trx) => {
    const results: ShiftEventResult[] = [];
    for (const item of prepared) {
      results.push({ id: item.event.id, status: await ingestEvent(trx, device, item, receivedAt) });
    }
    return results;
  });
}

interface PreparedEvent {
  event: ShiftEvent;
  /** Canonical JSON of the event as received; stored verbatim. */
  payload: string;
  payloadHash: string;
}

async function ingestEvent(
  trx: Transaction<LedgerTables>,
  device: DeviceContext,
  item: PreparedEvent,
  receivedAt: string,
): Promise<ShiftEventResult['status']> {
  const { event } = item;
  const known = await trx
    .selectFrom('shift_events')
    .select(['device_id', 'payload_hash'])
    .where('tenant_id', '=', device.tenantId)
    .where('id', '=', event.id)
    .executeTakeFirst();
  if (known !== undefined) {
    if (known.device_id === device.deviceId && known.payload_hash === item.payloadHash) return 'duplicate';
    await keepConflict(trx, device, item, receivedAt);
    return 'conflict';
  }

  const shift = await trx
    .selectFrom('shifts')
    .select('device_id')
    .where('tenant_id', '=', device.tenantId)
    .where('id', '=', event.shiftId)
    .executeTakeFirst();
  if (shift !== undefined && shift.device_id !== device.deviceId) {
    await keepConflict(trx, device, item, receivedAt);
    return 'conflict';
  }
  if (shift === undefined) {
    await trx
      .insertInto('shifts')
      .values({
        tenant_id: device.tenantId,
        id: event.shiftId,
        store_id: device.storeId,
        device_id: device.deviceId,
        opening_float: 0,
        cash_movements: 0,
        updated_at: receivedAt,
      })
      .execute();
  }

  await trx
    .insertInto('shift_events')
    .values({
      tenant_id: device.tenantId,
      id: event.id,
      shift_id: event.shiftId,
      store_id: device.storeId,
      device_id: device.deviceId,
      kind: event.kind,
      at: event.at,
      amount: event.kind === 'cash_movement' ? event.amount : null,
      payload: item.payload,
      payload_hash: item.payloadHash,
      received_at: receivedAt,
    })
    .execute();

  await trx
    .updateTable('shifts')
    .set((eb) => ({
      ...foldedColumns(event),
      ...(event.kind === 'cash_movement' && { cash_movements: eb('cash_movements', '+', event.amount) }),
      updated_at: receivedAt,
    }))
    .where('tenant_id', '=', device.tenantId)
    .where('store_id', '=', device.storeId)
    .where('id', '=', event.shiftId)
    .execute();
  return 'new';
}

/** The columns of the shift row an event of each kind owns (a cash movement adds; see above). */
function foldedColumns(event: ShiftEvent): Updateable<ShiftsTable> {
  switch (event.kind) {
    case 'opened':
      return { cashier: event.cashier, opened_at: event.at, opening_float: event.openingFloat };
    case 'cash_movement':
      return {};
    case 'closed':
      return {
        closed_at: event.at,
        counted_cash: event.countedCash,
        till_expected_cash: event.expectedCash,
        till_sale_count: event.saleCount,
        till_last_seq: event.lastSeq,
        close_reason: event.reason,
      };
  }
}

/** Keeps a conflicting event for a manager, never applied; the same payload is kept once. */
async function keepConflict(
  trx: Transaction<LedgerTables>,
  device: DeviceContext,
  item: PreparedEvent,
  receivedAt: string,
): Promise<void> {
  const seen = await trx
    .selectFrom('shift_event_conflicts')
    .select('id')
    .where('tenant_id', '=', device.tenantId)
    .where('store_id', '=', device.storeId)
    .where('device_id', '=', device.deviceId)
    .where('event_id', '=', item.event.id)
    .where('payload', '=', item.payload)
    .executeTakeFirst();
  if (seen !== undefined) return;
  await trx
    .insertInto('shift_event_conflicts')
    .values({
      id: uuidv7(),
      tenant_id: device.tenantId,
      store_id: device.storeId,
      device_id: device.deviceId,
      event_id: item.event.id,
      payload: item.payload,
      received_at: receivedAt,
    })
    .execute();
}
