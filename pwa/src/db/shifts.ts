import {
  MAX_MINOR_UNITS,
  type Sale,
  type ShiftCashMovement,
  type ShiftClosed,
  type ShiftEvent,
  type ShiftEventResult,
  type ShiftOpened,
  uuidv7,
} from '@till/shared/core';
import { Dexie } from 'dexie';
import {
  CHAIN_HEAD_KEY,
  type ShiftEventRecord,
  type ShiftEventSyncState,
  type ShiftRecord,
  type TillDb,
} from './till-db.ts';

/**
 * Cash-drawer shifts (SPEC SHIFT-1). Opening, paying in/out and closing each write the shift
 * row and its immutable event in ONE read-write transaction, so the row is always the fold of
 * the events the till will send. Works offline: events wait in `shiftEvents` like sales do.
 */

/** Why a shift action was refused; nothing was written. */
export type ShiftErrorCode = 'shift_open' | 'no_open_shift' | 'invalid_input' | 'reason_required';

export class ShiftError extends Error {
  constructor(
    readonly code: ShiftErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShiftError';
  }
}

/** Limits of the contract's shift events (shift.ts), checked before anything is written. */
const CASHIER_MAX = 60;
const REASON_MAX = 200;

/** The till's open shift, if any. */
export async function getOpenShift(db: TillDb): Promise<ShiftRecord | undefined> {
  return db.shifts.where('status').equals('open').first();
}

export async function getShift(db: TillDb, shiftId: string): Promise<ShiftRecord | undefined> {
  return db.shifts.get(shiftId);
}

/** The most recently opened shift (open or closed), for the summary after a close. */
export async function getLatestShift(db: TillDb): Promise<ShiftRecord | undefined> {
  return db.shifts.orderBy('openedAt').last();
}

/** What the drawer should hold: float + cash tenders of the shift's sales + cash paid in/out. */
export interface ShiftCash {
  openingFloat: number;
  /** Cash tenders of the shift's sales; refunds are negative. */
  cashSales: number;
  cashMovements: number;
  expectedCash: number;
  saleCount: number;
}

/** The expected-cash arithmetic (SHIFT-3), on integer minor units only. */
export function shiftCash(
  shift: Pick<ShiftRecord, 'openingFloat' | 'cashMovements'>,
  sales: readonly Pick<Sale, 'tenders'>[],
): ShiftCash {
  let cashSales = 0;
  for (const sale of sales) {
    for (const tender of sale.tenders) if (tender.kind === 'cash') cashSales += tender.amount;
  }
  return {
    openingFloat: shift.openingFloat,
    cashSales,
    cashMovements: shift.cashMovements,
    expectedCash: shift.openingFloat + cashSales + shift.cashMovements,
    saleCount: sales.length,
  };
}

/** The cash figures of a shift from the local ledger (every sale recorded in it, sent or not). */
export async function readShiftCash(db: TillDb, shift: ShiftRecord): Promise<ShiftCash> {
  return shiftCash(shift, await db.sales.where('shiftId').equals(shift.id).toArray());
}

/** Opens a shift with the cashier's name and the float put in the drawer. One open shift per till. */
export async function openShift(
  db: TillDb,
  input: { cashier: string; openingFloat: number },
  at: Date = new Date(),
  newId: () => string = uuidv7,
): Promise<ShiftRecord> {
  const cashier = input.cashier.trim();
  if (cashier.length === 0 || cashier.length > CASHIER_MAX) {
    throw new ShiftError('invalid_input', `Type the cashier's name (up to ${CASHIER_MAX} characters)`);
  }
  checkAmount(input.openingFloat, 'The opening float', { negative: false });
  const event: ShiftOpened = {
    kind: 'opened',
    id: newId(),
    shiftId: newId(),
    at: at.toISOString(),
    cashier,
    openingFloat: input.openingFloat,
  };
  const shift: ShiftRecord = {
    id: event.shiftId,
    status: 'open',
    cashier,
    openedAt: event.at,
    openingFloat: event.openingFloat,
    cashMovements: 0,
    closedAt: null,
    countedCash: null,
    expectedCash: null,
    reason: null,
    saleCount: null,
    lastSeq: null,
  };
  return db.transaction('rw', db.shifts, db.shiftEvents, async () => {
    // Inside the transaction: two tabs opening at once cannot both see "none open".
    const open = await getOpenShift(db);
    if (open) throw new ShiftError('shift_open', `${open.cashier}'s shift is still open: close it first`);
    await db.shifts.add(shift);
    await db.shiftEvents.add(toRecord(event));
    return shift;
  });
}

/** Cash paid into (positive) or taken out of (negative) the drawer outside a sale, with a reason. */
export async function recordCashMovement(
  db: TillDb,
  input: { amount: number; reason: string },
  at: Date = new Date(),
  newId: () => string = uuidv7,
): Promise<ShiftRecord> {
  checkAmount(input.amount, 'The amount', { negative: true });
  if (input.amount === 0) throw new ShiftError('invalid_input', 'The amount cannot be zero');
  const reason = checkReason(input.reason, true);
  return db.transaction('rw', db.shifts, db.shiftEvents, async () => {
    const open = await requireOpenShift(db);
    const event: ShiftCashMovement = {
      kind: 'cash_movement',
      id: newId(),
      shiftId: open.id,
      at: at.toISOString(),
      amount: input.amount,
      reason,
    };
    const shift: ShiftRecord = { ...open, cashMovements: open.cashMovements + input.amount };
    await db.shifts.put(shift);
    await db.shiftEvents.add(toRecord(event));
    return shift;
  });
}

/**
 * Closes the open shift with the cash counted. Expected cash and the sale count are worked
 * out in the same transaction that closes it (with `sales` and `chain` in its scope), so a
 * sale recorded in another tab either counts in this shift or, once it is closed, in none.
 * A count that does not match needs a reason.
 */
export async function closeShift(
  db: TillDb,
  input: { countedCash: number; reason: string },
  at: Date = new Date(),
  newId: () => string = uuidv7,
): Promise<{ shift: ShiftRecord; cash: ShiftCash }> {
  checkAmount(input.countedCash, 'The counted cash', { negative: false });
  const typedReason = checkReason(input.reason, false);
  return db.transaction('rw', [db.shifts, db.shiftEvents, db.sales, db.chain], async () => {
    const open = await requireOpenShift(db);
    const cash = await readShiftCash(db, open);
    const balanced = input.countedCash === cash.expectedCash;
    if (!balanced && typedReason === '') {
      throw new ShiftError('reason_required', 'The count is over or short: say why (e.g. "gave wrong change")');
    }
    const head = await db.chain.get(CHAIN_HEAD_KEY);
    const event: ShiftClosed = {
      kind: 'closed',
      id: newId(),
      shiftId: open.id,
      at: at.toISOString(),
      countedCash: input.countedCash,
      expectedCash: cash.expectedCash,
      saleCount: cash.saleCount,
      lastSeq: head?.lastSeq ?? 0,
      reason: balanced ? '' : typedReason,
    };
    const shift: ShiftRecord = {
      ...open,
      status: 'closed',
      closedAt: event.at,
      countedCash: event.countedCash,
      expectedCash: event.expectedCash,
      reason: event.reason,
      saleCount: event.saleCount,
      lastSeq: event.lastSeq,
    };
    await db.shifts.put(shift);
    await db.shiftEvents.add(toRecord(event));
    return { shift, cash };
  });
}

async function requireOpenShift(db: TillDb): Promise<ShiftRecord> {
  const open = await getOpenShift(db);
  if (!open) throw new ShiftError('no_open_shift', 'No shift is open on this till');
  return open;
}

function checkAmount(amount: number, what: string, { negative }: { negative: boolean }): void {
  if (!Number.isSafeInteger(amount) || Math.abs(amount) > MAX_MINOR_UNITS) {
    throw new ShiftError('invalid_input', `${what} is not an amount of money`);
  }
  if (!negative && amount < 0) throw new ShiftError('invalid_input', `${what} cannot be negative`);
}

function checkReason(text: string, required: boolean): string {
  const reason = text.trim();
  if (required && reason.length === 0) throw new ShiftError('invalid_input', 'Say why the cash goes in or out');
  if (reason.length > REASON_MAX)
    throw new ShiftError('invalid_input', `Keep the reason under ${REASON_MAX} characters`);
  return reason;
}

function toRecord(event: ShiftEvent): ShiftEventRecord {
  return {
    id: event.id,
    shiftId: event.shiftId,
    kind: event.kind,
    at: event.at,
    event,
    syncState: 'unsent',
    sentAt: null,
  };
}

/** Shift events in one sync state, in `at` order. */
function eventsIn(db: TillDb, syncState: ShiftEventSyncState) {
  return db.shiftEvents.where('[syncState+at]').between([syncState, Dexie.minKey], [syncState, Dexie.maxKey]);
}

function unsentEvents(db: TillDb) {
  return eventsIn(db, 'unsent');
}

/** The oldest unsent shift events, in `at` order: the front of the shift queue. */
export async function takeUnsentShiftEvents(db: TillDb, limit: number): Promise<ShiftEventRecord[]> {
  return unsentEvents(db).limit(limit).toArray();
}

export async function countUnsentShiftEvents(db: TillDb): Promise<number> {
  return unsentEvents(db).count();
}

/** Calls `listener` with the unsent shift event count now and whenever it changes, in any tab. */
export function watchUnsentShiftEvents(db: TillDb, listener: (count: number) => void): () => void {
  const subscription = Dexie.liveQuery(() => countUnsentShiftEvents(db)).subscribe({ next: listener, error: () => {} });
  return () => subscription.unsubscribe();
}

/** Shift events the server kept aside as conflicts: kept on the till and shown, never resent. */
export async function listShiftEventConflicts(db: TillDb): Promise<ShiftEventRecord[]> {
  return eventsIn(db, 'conflict').toArray();
}

/** Shift events the server refused as malformed, with its reason: kept on the till and shown, never resent (I9). */
export async function listRejectedShiftEvents(db: TillDb): Promise<ShiftEventRecord[]> {
  return eventsIn(db, 'rejected').toArray();
}

/**
 * Sets aside shift events the server refused (a 400, SHIFT-2): kept with the reason, shown,
 * never deleted, and out of the queue so the events behind them flow (I9). Only events still
 * unsent change; returns how many did.
 */
export async function markShiftEventsRejected(db: TillDb, reasons: ReadonlyMap<string, string>): Promise<number> {
  return db.transaction('rw', db.shiftEvents, async () => {
    let marked = 0;
    for (const [id, rejectReason] of reasons) {
      marked += await db.shiftEvents
        .where('id')
        .equals(id)
        .and((record) => record.syncState === 'unsent')
        .modify({ syncState: 'rejected', rejectReason });
    }
    return marked;
  });
}

/**
 * Applies a 200 answer to `POST /sync/shifts` in one transaction: events answered `new` or
 * `duplicate` are durably on the server → `sent`; `conflict` → `conflict` (kept, shown). Only
 * events still unsent and named in the answer change (I6). Returns how many did.
 */
export async function markShiftEventsAnswered(
  db: TillDb,
  results: readonly ShiftEventResult[],
  answeredAt: string,
): Promise<{ sent: number; conflicts: number }> {
  return db.transaction('rw', db.shiftEvents, db.meta, async () => {
    let sent = 0;
    let conflicts = 0;
    for (const result of results) {
      const syncState = result.status === 'conflict' ? 'conflict' : 'sent';
      const changed = await db.shiftEvents
        .where('id')
        .equals(result.id)
        .and((record) => record.syncState === 'unsent')
        .modify({ syncState, sentAt: answeredAt });
      if (syncState === 'sent') sent += changed;
      else conflicts += changed;
    }
    if (sent + conflicts > 0) await db.meta.delete('lastSyncError');
    return { sent, conflicts };
  });
}
