/// <reference lib="dom" />
/**
 * The browser side of the commit benchmark (`scripts/bench/commit.ts` bundles this file with
 * esbuild and serves it on 127.0.0.1). It imports the till's REAL `recordSale` and `TillDb`
 * from `pwa/src/db/` and races them, sale by sale, against plain IndexedDB code that writes the
 * same records with the same durability (`'strict'`, as TillDb opens Dexie with
 * `chromeTransactionDurability: 'strict'`) into an object-store layout copied from the Dexie
 * database itself, so indexes cost the same on both sides.
 *
 * Three ways of recording a sale, interleaved (the order rotates every sale, so none always
 * goes first after an idle disk):
 * - `dexie`: `recordSale(db, draft, recorder)` — read head, seal (WebCrypto), one rw transaction
 *   that re-reads the head and writes head + sale (+ card journal rows);
 * - `raw`: the same algorithm with the IndexedDB API directly;
 * - `rawTx`: only the rw transaction of `raw`, on a sale sealed beforehand (the floor).
 */
import { computeSaleTotals, formatReceiptNo, GENESIS_HASH, type SaleLine, sealRecord, uuidv7 } from '@till/shared';
import {
  type CardPaymentRecord,
  type LedgerSale,
  recordSale,
  type SaleDraft,
  TillDb,
} from '../../../pwa/src/db/index.ts';

export type Variant = 'dexie' | 'raw' | 'rawTx';
export type Workload = 'cash' | 'card';

export interface CommitBenchOptions {
  workload: Workload;
  warmup: number;
  sales: number;
}

export interface CommitBenchRun {
  workload: Workload;
  /** Milliseconds per recorded sale, after warm-up, in the order taken. */
  ms: Record<Variant, number[]>;
  /** Where `raw`'s time went, per sale: head read, sealing, the rw transaction. */
  rawSplit: { head: number[]; seal: number[]; tx: number[] };
  /** Sales in each database at the end (warm-up included), to show every write landed. */
  stored: Record<Variant, number>;
  timerResolutionMs: number;
  crossOriginIsolated: boolean;
}

declare global {
  interface Window {
    runCommitBench: (options: CommitBenchOptions) => Promise<CommitBenchRun>;
  }
}

const RECORDER = { storeCode: 'DEMO', deviceNo: 1 };
const LINES: SaleLine[] = [
  { lineNo: 1, productId: null, sku: 'COF-004', name: 'Latte', qty: 2, unitPrice: 450, discount: 0, taxRateBp: 825 },
  {
    lineNo: 2,
    productId: null,
    sku: 'BAK-007',
    name: 'Butter Croissant',
    qty: 1,
    unitPrice: 375,
    discount: 25,
    taxRateBp: 825,
  },
  {
    lineNo: 3,
    productId: null,
    sku: 'GRO-012',
    name: 'Oat milk 1 l',
    qty: 1,
    unitPrice: 289,
    discount: 0,
    taxRateBp: 0,
  },
];
const TOTALS = computeSaleTotals(LINES, 'exclusive');

function draftFor(workload: Workload): SaleDraft {
  const id = uuidv7();
  return {
    id,
    createdAt: new Date().toISOString(),
    currency: 'USD',
    taxMode: 'exclusive',
    lines: LINES,
    totals: TOTALS,
    tenders:
      workload === 'cash'
        ? [{ id: uuidv7(), kind: 'cash', amount: TOTALS.total, tendered: 2000, change: 2000 - TOTALS.total }]
        : [
            {
              id: uuidv7(),
              kind: 'card',
              amount: TOTALS.total,
              brand: 'visa',
              last4: '4242',
              gatewayToken: 'pm_card_visa',
              entry: 'stored',
              gatewayRef: null,
              storedReason: 'offline',
            },
          ],
  };
}

/** The journal row a stored card payment has before its sale is recorded (written untimed). */
function journalRowFor(draft: SaleDraft): CardPaymentRecord[] {
  return draft.tenders.flatMap((tender) =>
    tender.kind === 'card'
      ? [
          {
            id: tender.id,
            saleId: draft.id,
            reference: 'DEMO-01-pending',
            amount: tender.amount,
            currency: draft.currency,
            brand: tender.brand,
            last4: tender.last4,
            gatewayToken: tender.gatewayToken,
            state: 'stored',
            entry: 'stored',
            storedReason: 'offline',
            captureAttempt: 'none',
            gatewayRef: null,
            declineCode: null,
            message: null,
            createdAt: draft.createdAt,
            updatedAt: draft.createdAt,
            expiresAt: null,
            receiptNo: null,
            serverUpdatedAt: null,
            alertSeenAt: null,
          } satisfies CardPaymentRecord,
        ]
      : [],
  );
}

// ---- plain IndexedDB -------------------------------------------------------------------------

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`deleting ${name} is blocked`));
  });
}

interface StoreLayout {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
}

/** The object stores and indexes Dexie created, read back from the real database. */
function layoutOf(idb: IDBDatabase): StoreLayout[] {
  const names = [...idb.objectStoreNames];
  const tx = idb.transaction(names, 'readonly');
  return names.map((name) => {
    const store = tx.objectStore(name);
    return {
      name,
      keyPath: store.keyPath,
      autoIncrement: store.autoIncrement,
      indexes: [...store.indexNames].map((indexName) => {
        const index = store.index(indexName);
        return { name: indexName, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
      }),
    };
  });
}

function openRaw(name: string, layout: StoreLayout[]): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      for (const store of layout) {
        const created = req.result.createObjectStore(store.name, {
          keyPath: store.keyPath,
          autoIncrement: store.autoIncrement,
        });
        for (const index of store.indexes) {
          created.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
        }
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

interface Head {
  lastSeq: number;
  lastHash: string;
}

async function rawReadHead(idb: IDBDatabase): Promise<Head> {
  const row = (await request(idb.transaction('chain', 'readonly').objectStore('chain').get('head'))) as
    | (Head & { key: string })
    | undefined;
  return row ? { lastSeq: row.lastSeq, lastHash: row.lastHash } : { lastSeq: 0, lastHash: GENESIS_HASH };
}

async function seal(draft: SaleDraft, head: Head): Promise<LedgerSale> {
  const deviceSeq = head.lastSeq + 1;
  const sealed = await sealRecord({
    id: draft.id,
    deviceSeq,
    prevHash: head.lastHash,
    receiptNo: formatReceiptNo(RECORDER.storeCode, RECORDER.deviceNo, deviceSeq),
    createdAt: draft.createdAt,
    currency: draft.currency,
    taxMode: draft.taxMode,
    lines: draft.lines,
    totals: draft.totals,
    tenders: draft.tenders,
  });
  return { ...sealed, syncState: 'unsent', sentAt: null };
}

/**
 * The rw transaction of a sale, in plain IndexedDB: re-read the head, and only if unchanged
 * write the head, add the sale and settle each card tender's journal row (get, check, put) —
 * what `recordSale` + `recordCardTenders` do through Dexie. Resolves on `complete`.
 */
function rawCommit(idb: IDBDatabase, head: Head, sale: LedgerSale): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const tx = idb.transaction(['chain', 'sales', 'cardPayments'], 'readwrite', { durability: 'strict' });
    let written = false;
    const chain = tx.objectStore('chain');
    const current = chain.get('head');
    current.onsuccess = () => {
      const row = current.result as (Head & { key: string }) | undefined;
      const now = row ? { lastSeq: row.lastSeq, lastHash: row.lastHash } : { lastSeq: 0, lastHash: GENESIS_HASH };
      if (now.lastSeq !== head.lastSeq || now.lastHash !== head.lastHash) return; // commits empty
      chain.put({ key: 'head', lastSeq: sale.deviceSeq, lastHash: sale.hash });
      tx.objectStore('sales').add(sale);
      const journal = tx.objectStore('cardPayments');
      for (const tender of sale.tenders) {
        if (tender.kind !== 'card') continue;
        const got = journal.get(tender.id);
        got.onsuccess = () => {
          const row = got.result as CardPaymentRecord | undefined;
          if (!row || row.saleId !== sale.id || row.amount !== tender.amount || row.receiptNo !== null) {
            tx.abort();
            return;
          }
          journal.put({
            ...row,
            entry: tender.entry,
            storedReason: tender.storedReason,
            receiptNo: sale.receiptNo,
            updatedAt: sale.createdAt,
          });
        };
      }
      written = true;
    };
    tx.oncomplete = () => resolve(written);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

async function putJournalRaw(idb: IDBDatabase, rows: CardPaymentRecord[]): Promise<void> {
  if (rows.length === 0) return;
  const tx = idb.transaction('cardPayments', 'readwrite');
  for (const row of rows) tx.objectStore('cardPayments').put(row);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error);
  });
}

function count(idb: IDBDatabase): Promise<number> {
  return request(idb.transaction('sales', 'readonly').objectStore('sales').count());
}

// ---- the race --------------------------------------------------------------------------------

function timerResolution(): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 2000; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    smallest = Math.min(smallest, b - a);
  }
  return smallest;
}

window.runCommitBench = async ({ workload, warmup, sales }) => {
  const names = { dexie: `bench-dexie-${workload}`, raw: `bench-raw-${workload}`, rawTx: `bench-rawtx-${workload}` };
  for (const name of Object.values(names)) await deleteDatabase(name);
  const dexie = new TillDb(names.dexie);
  await dexie.open();
  const layout = layoutOf(dexie.backendDB());
  const raw = await openRaw(names.raw, layout);
  const rawTx = await openRaw(names.rawTx, layout);
  let rawTxHead: Head = { lastSeq: 0, lastHash: GENESIS_HASH };
  const split = { head: [] as number[], seal: [] as number[], tx: [] as number[] };

  const run: Record<Variant, () => Promise<number>> = {
    dexie: async () => {
      const draft = draftFor(workload);
      await dexie.cardPayments.bulkPut(journalRowFor(draft));
      const started = performance.now();
      await recordSale(dexie, draft, RECORDER);
      return performance.now() - started;
    },
    raw: async () => {
      const draft = draftFor(workload);
      await putJournalRaw(raw, journalRowFor(draft));
      const started = performance.now();
      const head = await rawReadHead(raw);
      const headRead = performance.now();
      const sale = await seal(draft, head);
      const sealed = performance.now();
      if (!(await rawCommit(raw, head, sale))) throw new Error('raw: the head moved with one tab open');
      const done = performance.now();
      split.head.push(headRead - started);
      split.seal.push(sealed - headRead);
      split.tx.push(done - sealed);
      return done - started;
    },
    rawTx: async () => {
      const draft = draftFor(workload);
      await putJournalRaw(rawTx, journalRowFor(draft));
      const sale = await seal(draft, rawTxHead);
      const started = performance.now();
      if (!(await rawCommit(rawTx, rawTxHead, sale))) throw new Error('rawTx: the head moved');
      const elapsed = performance.now() - started;
      rawTxHead = { lastSeq: sale.deviceSeq, lastHash: sale.hash };
      return elapsed;
    },
  };

  const variants: Variant[] = ['dexie', 'raw', 'rawTx'];
  const ms: Record<Variant, number[]> = { dexie: [], raw: [], rawTx: [] };
  for (let i = 0; i < warmup + sales; i++) {
    if (i === warmup) for (const list of [split.head, split.seal, split.tx]) list.length = 0;
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(i + k) % variants.length] as Variant;
      const elapsed = await run[variant]();
      if (i >= warmup) ms[variant].push(elapsed);
    }
  }

  const stored = { dexie: await dexie.sales.count(), raw: await count(raw), rawTx: await count(rawTx) };
  dexie.close();
  raw.close();
  rawTx.close();
  return {
    workload,
    ms,
    rawSplit: split,
    stored,
    timerResolutionMs: timerResolution(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
};

document.body.dataset.ready = 'true';
