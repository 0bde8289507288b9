import { formatReceiptNo, GENESIS_HASH, type Sale, sealRecord, type UnsealedSale } from '@till/shared/core';
import { recordCardTenders } from './card-journal.ts';
import { getOpenShift } from './shifts.ts';
import { CHAIN_HEAD_KEY, type ChainHead, type LedgerSale, type TillDb } from './till-db.ts';

/**
 * What the sell screen hands over: the sale minus what only the ledger can decide — its place
 * in the chain, and the shift it is rung up in (the till's open shift when it is recorded).
 */
export type SaleDraft = Omit<Sale, 'deviceSeq' | 'prevHash' | 'hash' | 'receiptNo' | 'shiftId' | 'cashier'>;

/** Who is recording: the receipt number is made from the store code and device number. */
export interface Recorder {
  storeCode: string;
  deviceNo: number;
}

/** Another tab kept advancing the chain while this one tried to record; nothing was written. */
export class ChainContentionError extends Error {
  readonly code = 'chain_contention';
  constructor(attempts: number) {
    super(`The sale was not recorded: the ledger was busy after ${attempts} attempts. Try again.`);
    this.name = 'ChainContentionError';
  }
}

type Head = Pick<ChainHead, 'lastSeq' | 'lastHash'>;
const EMPTY_HEAD: Head = { lastSeq: 0, lastHash: GENESIS_HASH };

/** The chain head, or the genesis head before the first sale. */
export async function readChainHead(db: TillDb): Promise<Head> {
  const head = await db.chain.get(CHAIN_HEAD_KEY);
  return head ? { lastSeq: head.lastSeq, lastHash: head.lastHash } : EMPTY_HEAD;
}

/**
 * Records a completed sale: gives it the next `deviceSeq`, links it to the chain, and writes
 * the sale and the new chain head in ONE read-write transaction. It resolves only after that
 * transaction has committed; the till shows the sale as complete only then (I1).
 *
 * Why it is optimistic: hashing uses WebCrypto (`crypto.subtle.digest`), which is not an
 * IndexedDB request. Awaiting it inside a transaction lets IndexedDB auto-commit the
 * transaction under us, after which further writes fail or, worse, land in separate
 * transactions. So the sale is sealed OUTSIDE the transaction against the head read before,
 * and the transaction re-reads the head and writes only if it is unchanged. If another tab
 * recorded a sale in between, the head moved: we seal again against the new head (bounded
 * attempts). This is what keeps seqs gap-free and unique and the hash chain unbroken with
 * several tabs open; the unique `&deviceSeq` index is the backstop.
 *
 * Card tenders: the same transaction gives each card payment's journal row its final state and
 * the receipt number (`recordCardTenders`), so the sale, its payments and the chain head commit
 * together or not at all (I1). A card tender the journal cannot vouch for aborts the sale.
 *
 * Shift (SHIFT-3): the sale carries the open shift's `shiftId` and `cashier`, which the hash
 * covers, so they are read before sealing, like the head, and checked again in the transaction:
 * if a shift was opened or closed meanwhile, the sale is sealed again. A sale therefore belongs
 * to the shift that was open when it committed, and closing a shift (which counts its sales in
 * its own transaction) can never miss one. Without an open shift the sale has neither field.
 */
export async function recordSale(
  db: TillDb,
  draft: SaleDraft,
  recorder: Recorder,
  maxAttempts = 8,
): Promise<LedgerSale> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = await readChainHead(db);
    const shift = await getOpenShift(db);
    const deviceSeq = head.lastSeq + 1;
    const unsealed: UnsealedSale = {
      id: draft.id,
      deviceSeq,
      prevHash: head.lastHash,
      receiptNo: formatReceiptNo(recorder.storeCode, recorder.deviceNo, deviceSeq),
      createdAt: draft.createdAt,
      currency: draft.currency,
      taxMode: draft.taxMode,
      lines: draft.lines,
      totals: draft.totals,
      tenders: draft.tenders,
      ...(shift && { shiftId: shift.id, cashier: shift.cashier }),
    };
    const sealed: Sale = await sealRecord(unsealed);
    const record: LedgerSale = { ...sealed, syncState: 'unsent', sentAt: null };
    const committed = await db.transaction('rw', [db.chain, db.sales, db.cardPayments, db.shifts], async () => {
      const current = await readChainHead(db);
      if (current.lastSeq !== head.lastSeq || current.lastHash !== head.lastHash) return false;
      if ((await getOpenShift(db))?.id !== shift?.id) return false;
      // The head is written first: if adding the sale or settling its card payments then fails
      // (say, its id already exists), the transaction aborts and the head goes back with it.
      await db.chain.put({ key: CHAIN_HEAD_KEY, lastSeq: deviceSeq, lastHash: sealed.hash });
      await db.sales.add(record);
      await recordCardTenders(db, sealed, sealed.createdAt);
      return true;
    });
    if (committed) return record;
  }
  throw new ChainContentionError(maxAttempts);
}

/**
 * The receipt number the next sale will most likely get: the reference a live capture carries
 * before the sale exists. Another tab recording first would move it on by one; the payment id,
 * not the reference, is what identifies the payment.
 */
export async function predictReceiptNo(db: TillDb, recorder: Recorder): Promise<string> {
  const head = await readChainHead(db);
  return formatReceiptNo(recorder.storeCode, recorder.deviceNo, head.lastSeq + 1);
}
