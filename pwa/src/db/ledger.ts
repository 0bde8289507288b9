import type { Sale, SaleResult } from '@till/shared/core';
import { Dexie } from 'dexie';
import type { LedgerSale, PendingBatch, SyncState, TillDb } from './till-db.ts';

/** The sale exactly as it was sealed, without the till's local fields: what goes on the wire. */
export function toWireSale(sale: LedgerSale): Sale {
  return {
    id: sale.id,
    deviceSeq: sale.deviceSeq,
    prevHash: sale.prevHash,
    hash: sale.hash,
    receiptNo: sale.receiptNo,
    createdAt: sale.createdAt,
    currency: sale.currency,
    taxMode: sale.taxMode,
    lines: sale.lines,
    totals: sale.totals,
    tenders: sale.tenders,
    ...(sale.shiftId !== undefined && { shiftId: sale.shiftId }),
    ...(sale.cashier !== undefined && { cashier: sale.cashier }),
  };
}

function inState(db: TillDb, state: SyncState) {
  return db.sales.where('[syncState+deviceSeq]').between([state, Dexie.minKey], [state, Dexie.maxKey]);
}

/** The oldest unsent sales, in deviceSeq order: the front of the queue. */
export async function takeUnsent(db: TillDb, limit: number): Promise<LedgerSale[]> {
  return inState(db, 'unsent').limit(limit).toArray();
}

/** How many sales are waiting to be sent. */
export async function countUnsent(db: TillDb): Promise<number> {
  return inState(db, 'unsent').count();
}

/** Sales the server refused, newest last. */
export async function listRejected(db: TillDb): Promise<LedgerSale[]> {
  return inState(db, 'rejected').toArray();
}

/** What the status bar and each push report about the queue. */
export interface QueueSummary {
  unsentCount: number;
  /** createdAt of the oldest unsent sale, or null when none waits. */
  oldestUnsentAt: string | null;
  rejectedCount: number;
}

export async function summariseQueue(db: TillDb): Promise<QueueSummary> {
  return summariseQueueBehind(db, 0);
}

/**
 * The queue as it will be once the first `ahead` unsent sales (a batch being sent, which takes
 * the front of the queue) are stored: what a push reports, so the server's copy of the figure
 * is right the moment that push commits, not one push late.
 */
export async function summariseQueueBehind(db: TillDb, ahead: number): Promise<QueueSummary> {
  return db.transaction('r', db.sales, async () => {
    const unsentCount = Math.max(0, (await inState(db, 'unsent').count()) - ahead);
    const oldest = await inState(db, 'unsent').offset(ahead).first();
    const rejectedCount = await inState(db, 'rejected').count();
    return { unsentCount, oldestUnsentAt: oldest?.createdAt ?? null, rejectedCount };
  });
}

/**
 * The stored pending batch's sales, in the batch's order, if every one of them is still
 * unsent; otherwise null (the batch is stale and must not be resent).
 */
export async function loadPendingSales(db: TillDb, batch: PendingBatch): Promise<LedgerSale[] | null> {
  const sales = await db.sales.bulkGet(batch.saleIds);
  const usable: LedgerSale[] = [];
  for (const sale of sales) {
    if (sale?.syncState !== 'unsent') return null;
    usable.push(sale);
  }
  return usable.length > 0 ? usable : null;
}

/**
 * Marks the sales the server named in a 200 answer as sent, clears the pending batch and
 * records the sync time, all in one transaction. Only called after the server said it has
 * durably committed them (I6). Returns how many sales changed.
 */
export async function markBatchSent(
  db: TillDb,
  batchId: string,
  results: readonly SaleResult[],
  sentAt: string,
): Promise<number> {
  return db.transaction('rw', db.sales, db.meta, async () => {
    let marked = 0;
    for (const result of results) {
      const changed = await db.sales
        .where('id')
        .equals(result.saleId)
        .and((sale) => sale.syncState === 'unsent')
        .modify({
          syncState: 'sent',
          sentAt,
          batchId,
          serverStatus: result.status,
          serverFlags: [...result.flags],
        });
      marked += changed;
    }
    await db.meta.delete('pendingBatch');
    await db.meta.put({ key: 'lastSyncAt', value: sentAt });
    await db.meta.delete('lastSyncError');
    return marked;
  });
}

/**
 * Quarantines sales the server refused as malformed: kept, shown, never deleted, and out of
 * the queue so the sales behind them flow (I9). Clears the pending batch in the same
 * transaction, since the batch that carried them will never be sent again.
 */
export async function markRejected(db: TillDb, reasons: ReadonlyMap<string, string>): Promise<number> {
  return db.transaction('rw', db.sales, db.meta, async () => {
    let marked = 0;
    for (const [saleId, reason] of reasons) {
      marked += await db.sales
        .where('id')
        .equals(saleId)
        .and((sale) => sale.syncState === 'unsent')
        .modify({ syncState: 'rejected', rejectReason: reason });
    }
    await db.meta.delete('pendingBatch');
    return marked;
  });
}

/** Calls `listener` with the unsent count now and whenever it changes, in any tab. */
export function watchUnsentCount(db: TillDb, listener: (count: number) => void): () => void {
  const subscription = Dexie.liveQuery(() => countUnsent(db)).subscribe({ next: listener, error: () => {} });
  return () => subscription.unsubscribe();
}

/** The most recent sales, newest first, for the Recent sales panel. */
export async function listRecentSales(db: TillDb, limit: number): Promise<LedgerSale[]> {
  return db.sales.orderBy('deviceSeq').reverse().limit(limit).toArray();
}
