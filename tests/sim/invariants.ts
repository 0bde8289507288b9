import {
  canonicalJson,
  chainHash,
  type FlagCode,
  GENESIS_HASH,
  type PaymentState,
  type Sale,
  TERMINAL_PAYMENT_STATES,
} from '@till/shared';
import Database from 'better-sqlite3';
import { type CardPaymentRecord, type LedgerSale, toWireSale } from '../../pwa/src/db/index.ts';
import type { LedgerSnapshot } from '../../scripts/gateway-simulator/control.ts';
import type { TillSnapshot } from './sim-till.ts';

/**
 * The end-of-run checks. Evidence comes from three independent places — each till's IndexedDB,
 * the server's SQLite file (opened read-only) and the gateway simulator's own ledger — and each
 * check compares two of them, so a bug on one side cannot hide behind its own bookkeeping.
 */

/** `LIVE`: faults off, the system did not settle within the bound (stuck retry, lost wake-up…). */
export type InvariantId = 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I7' | 'I9' | 'LIVE';

export interface Violation {
  invariant: InvariantId;
  message: string;
}

export interface SqlSale {
  id: string;
  device_id: string;
  device_seq: number;
  arrival_no: number;
  prev_hash: string;
  hash: string;
  payload: string;
  created_at: string;
  total: number;
  status: string;
  flags: string;
}

export interface SqlPayment {
  id: string;
  device_id: string;
  sale_id: string | null;
  sale_received_at: string | null;
  amount: number;
  gateway_token: string;
  entry: string;
  state: PaymentState;
  gateway_ref: string | null;
  quarantine_reason: string | null;
  last_error: string | null;
}

export interface SqlEvidence {
  sales: SqlSale[];
  payments: SqlPayment[];
  issues: Array<{ device_id: string; kind: string; from_seq: number; to_seq: number; resolved_at: string | null }>;
  devices: Array<{ id: string; acked_seq: number; last_seq: number }>;
  conflicts: Array<{ sale_id: string; device_id: string }>;
}

export interface Evidence {
  sql: SqlEvidence;
  gateway: LedgerSnapshot;
  tills: TillSnapshot[];
  timezone: string;
}

/** Reads what the checks need from the ledger file, read-only (the server may still be running). */
export function readSql(file: string): SqlEvidence {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const read = db.transaction(() => ({
      sales: db
        .prepare(
          'select id, device_id, device_seq, arrival_no, prev_hash, hash, payload, created_at, total, status, flags from sales',
        )
        .all() as SqlSale[],
      payments: db
        .prepare(
          `select id, device_id, sale_id, sale_received_at, amount, gateway_token, entry, state, gateway_ref,
             quarantine_reason, last_error from payments`,
        )
        .all() as SqlPayment[],
      issues: db
        .prepare('select device_id, kind, from_seq, to_seq, resolved_at from sequence_issues')
        .all() as SqlEvidence['issues'],
      devices: db.prepare('select id, acked_seq, last_seq from devices').all() as SqlEvidence['devices'],
      conflicts: db.prepare('select sale_id, device_id from sale_conflicts').all() as SqlEvidence['conflicts'],
    }));
    return read();
  } finally {
    db.close();
  }
}

const TERMINAL = new Set<string>(TERMINAL_PAYMENT_STATES);
const CHAIN_FLAGS: readonly FlagCode[] = ['seq_gap', 'seq_reuse', 'hash_break', 'hash_invalid'];
const ARITHMETIC_FLAGS: readonly FlagCode[] = ['totals_mismatch', 'tender_mismatch', 'currency_mismatch'];

/** Every check that applies; an empty list means the run kept every invariant. */
export async function checkInvariants(evidence: Evidence): Promise<Violation[]> {
  const violations: Violation[] = [];
  const add = (invariant: InvariantId, message: string) => violations.push({ invariant, message });
  await checkTillLedgers(evidence, add);
  checkSalesExactlyOnce(evidence, add);
  await checkChains(evidence, add);
  checkCharges(evidence, add);
  checkPaymentStates(evidence, add);
  checkTotals(evidence, add);
  return violations;
}

type Add = (invariant: InvariantId, message: string) => void;

/** I1 on each till: every sale shown complete is in IndexedDB; the local chain is whole; card tenders are journalled. */
async function checkTillLedgers({ tills }: Evidence, add: Add): Promise<void> {
  for (const till of tills) {
    const name = `till ${till.index}`;
    const ids = new Set(till.sales.map((sale) => sale.id));
    for (const id of till.completedSaleIds) {
      if (!ids.has(id)) add('I1', `${name}: sale ${id} was shown complete but is not in IndexedDB`);
    }
    let prevHash = GENESIS_HASH;
    for (const [index, sale] of till.sales.entries()) {
      if (sale.deviceSeq !== index + 1) {
        add('I3', `${name}: local deviceSeq ${sale.deviceSeq} at position ${index + 1} (gap or reuse on the till)`);
      }
      if (sale.prevHash !== prevHash)
        add('I3', `${name}: local sale seq ${sale.deviceSeq} does not link to its predecessor`);
      if ((await chainHash(toWireSale(sale))) !== sale.hash)
        add('I3', `${name}: local sale seq ${sale.deviceSeq} has a wrong hash`);
      prevHash = sale.hash;
    }
    const last = till.sales[till.sales.length - 1];
    if (
      (till.chainHead?.lastSeq ?? 0) !== (last?.deviceSeq ?? 0) ||
      (till.chainHead?.lastHash ?? GENESIS_HASH) !== prevHash
    ) {
      add(
        'I1',
        `${name}: the chain head ${JSON.stringify(till.chainHead)} is not its last sale (seq ${last?.deviceSeq ?? 0})`,
      );
    }
    const journal = new Map(till.cardPayments.map((row) => [row.id, row]));
    for (const sale of till.sales) {
      for (const tender of sale.tenders) {
        if (tender.kind !== 'card') continue;
        const row = journal.get(tender.id);
        if (!row || row.saleId !== sale.id || row.receiptNo !== sale.receiptNo || row.amount !== tender.amount) {
          add('I1', `${name}: card tender ${tender.id} of sale seq ${sale.deviceSeq} is not journalled with its sale`);
        }
      }
    }
  }
}

/**
 * Every sale a till made, as far as the checks are concerned: what it holds now, and what a
 * restore from backup took off it (`lost`), as it was just before the restore.
 */
function salesOf(till: TillSnapshot): Array<{ sale: LedgerSale; lost: boolean }> {
  return [
    ...till.lostSales.map((sale) => ({ sale, lost: true })),
    ...till.sales.map((sale) => ({ sale, lost: false })),
  ];
}

/**
 * I2 (and I9, SYNC-8): every till sale is in SQL exactly once, from its device, with the
 * content it was sealed with, and SQL holds no sale of the device that the till never made. A
 * sale a restore took off the till must still be there if the till had sent it; one it had not
 * sent may be gone (lost with the device's data, not by the sync).
 */
function checkSalesExactlyOnce({ sql, tills }: Evidence, add: Add): void {
  const byId = new Map<string, SqlSale[]>();
  for (const row of sql.sales) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  for (const till of tills) {
    const name = `till ${till.index}`;
    const deviceId = till.device.deviceId;
    const known = new Set<string>();
    for (const { sale, lost } of salesOf(till)) {
      known.add(sale.id);
      const what = `${name}: ${lost ? 'restored-away ' : ''}sale seq ${sale.deviceSeq} (${sale.syncState})`;
      const rows = byId.get(sale.id) ?? [];
      if (sale.syncState === 'rejected') add('I9', `${what} was rejected: ${sale.rejectReason}`);
      if (!lost && sale.syncState === 'unsent') add('LIVE', `${what} is still unsent`);
      if (rows.length === 0) {
        if (sale.syncState === 'sent') add('I2', `${what} is not in SQL`);
        else if (!lost) add('LIVE', `${what} is not in SQL`);
        continue;
      }
      if (rows.length > 1) add('I2', `${what} is in SQL ${rows.length} times`);
      const [row] = rows;
      if (row && row.device_id !== deviceId) add('I2', `${what} is stored under device ${row.device_id}`);
      if (row && row.payload !== canonicalJson(toWireSale(sale))) add('I2', `${what} is stored with other content`);
    }
    for (const row of sql.sales) {
      if (row.device_id === deviceId && !known.has(row.id)) {
        add('I2', `${name}: SQL holds sale ${row.id} (seq ${row.device_seq}) that the till never recorded`);
      }
    }
    if (till.pendingBatch) add('LIVE', `${name}: a pending batch ${till.pendingBatch.batchId} was never acknowledged`);
    // SYNC-8: acked = the highest N with 1..N stored; last = the highest stored.
    const device = sql.devices.find((candidate) => candidate.id === deviceId);
    const seqs = new Set(sql.sales.filter((row) => row.device_id === deviceId).map((row) => row.device_seq));
    let acked = 0;
    while (seqs.has(acked + 1)) acked += 1;
    const last = Math.max(0, ...seqs);
    if (device && (device.acked_seq !== acked || device.last_seq !== last)) {
      add(
        'I2',
        `${name}: the device row says acked ${device.acked_seq} / last ${device.last_seq}; SQL holds ${acked} / ${last}`,
      );
    }
  }
  for (const conflict of sql.conflicts)
    add('I2', `sale ${conflict.sale_id} arrived with other content (sale_conflicts)`);
}

/**
 * I3 on the server: replays each device's arrivals in `arrival_no` order and works out which
 * chain flags each sale must carry (gap, reuse, break, invalid hash — including a break found
 * when a late predecessor arrives). A missing flag is a problem accepted silently; an extra one
 * is a false alarm. Every gap flag has a gap issue, and a filled gap is marked resolved.
 */
async function checkChains({ sql }: Evidence, add: Add): Promise<void> {
  const byDevice = new Map<string, SqlSale[]>();
  for (const row of sql.sales) byDevice.set(row.device_id, [...(byDevice.get(row.device_id) ?? []), row]);
  for (const [deviceId, rows] of byDevice) {
    rows.sort((a, b) => a.arrival_no - b.arrival_no);
    const firstAt = new Map<number, SqlSale>();
    const expected = new Map<string, Set<FlagCode>>();
    for (const row of rows) {
      const flags = new Set<FlagCode>();
      const sale = JSON.parse(row.payload) as Sale;
      if ((await chainHash(sale)) !== row.hash) flags.add('hash_invalid');
      if (firstAt.has(row.device_seq)) flags.add('seq_reuse');
      if (row.device_seq === 1) {
        if (row.prev_hash !== GENESIS_HASH) flags.add('hash_break');
      } else {
        const predecessor = firstAt.get(row.device_seq - 1);
        if (!predecessor) flags.add('seq_gap');
        else if (predecessor.hash !== row.prev_hash) flags.add('hash_break');
      }
      expected.set(row.id, flags);
      if (!firstAt.has(row.device_seq)) {
        firstAt.set(row.device_seq, row);
        const successor = firstAt.get(row.device_seq + 1);
        if (successor && successor.prev_hash !== row.hash) expected.get(successor.id)?.add('hash_break');
      }
    }
    for (const row of rows) {
      const actual = new Set((JSON.parse(row.flags) as FlagCode[]).filter((flag) => CHAIN_FLAGS.includes(flag)));
      const wanted = expected.get(row.id) ?? new Set();
      for (const flag of wanted) {
        if (!actual.has(flag)) add('I3', `device ${deviceId} seq ${row.device_seq}: ${flag} not flagged`);
      }
      for (const flag of actual) {
        if (!wanted.has(flag)) add('I3', `device ${deviceId} seq ${row.device_seq}: ${flag} flagged but not so`);
      }
      if (actual.has('seq_gap')) {
        const covered = sql.issues.some(
          (issue) =>
            issue.device_id === deviceId &&
            issue.kind === 'gap' &&
            issue.from_seq <= row.device_seq - 1 &&
            issue.to_seq >= row.device_seq - 1,
        );
        if (!covered) add('I3', `device ${deviceId} seq ${row.device_seq}: seq_gap flagged without a gap issue`);
      }
    }
    const stored = new Set(rows.map((row) => row.device_seq));
    for (const issue of sql.issues) {
      if (issue.device_id !== deviceId || issue.kind !== 'gap' || issue.resolved_at !== null) continue;
      let filled = true;
      for (let seq = issue.from_seq; seq <= issue.to_seq; seq++) if (!stored.has(seq)) filled = false;
      if (filled) add('I3', `device ${deviceId}: gap ${issue.from_seq}..${issue.to_seq} is filled but still open`);
    }
  }
}

/**
 * I4: at most one charge per payment id, made under its own id as the key, for the payment the
 * till took; exactly the captured set in SQL; and no sale paid by a charge it does not carry.
 */
function checkCharges({ sql, gateway, tills }: Evidence, add: Add): void {
  for (const [key, count] of Object.entries(gateway.counts.byIdempotencyKey)) {
    if (count > 1) add('I4', `idempotency key ${key} created ${count} PaymentIntents`);
  }
  for (const [id, count] of Object.entries(gateway.counts.succeededByTillPaymentId)) {
    if (count > 1) add('I4', `payment ${id} was charged ${count} times`);
  }
  const journals = new Map<string, CardPaymentRecord>();
  for (const till of tills) for (const row of [...till.lostPayments, ...till.cardPayments]) journals.set(row.id, row);
  const paymentById = new Map(sql.payments.map((payment) => [payment.id, payment]));
  const succeeded = new Map<string, LedgerSnapshot['charges'][number]>();
  const declinedAtGateway = new Set<string>();
  for (const charge of gateway.charges) {
    const id = charge.tillPaymentId;
    if (id === null || charge.idempotencyKey !== id) {
      add('I4', `charge ${charge.id} was made under key ${charge.idempotencyKey}, not its payment id ${id}`);
      continue;
    }
    const row = journals.get(id);
    if (!row) add('I4', `charge ${charge.id} is for payment ${id}, which no till made`);
    else if (row.amount !== charge.amount || row.gatewayToken !== charge.paymentMethod) {
      add('I4', `charge ${charge.id} for payment ${id} is not the payment the till took (amount or card)`);
    }
    if (charge.status === 'succeeded') succeeded.set(id, charge);
    else declinedAtGateway.add(id);
  }
  for (const [id, charge] of succeeded) {
    const payment = paymentById.get(id);
    if (!payment) add('I4', `payment ${id} was charged (${charge.id}) but SQL has no row for it`);
    else if (payment.state === 'unknown' || payment.state === 'pending') {
      add('LIVE', `payment ${id} was charged but SQL still says ${payment.state}`);
    } else if (payment.state !== 'captured') {
      add('I4', `payment ${id} was charged (${charge.id}) but SQL says ${payment.state}`);
    } else if (payment.gateway_ref !== charge.id) {
      add('I4', `payment ${id} is captured as ${payment.gateway_ref}, the charge is ${charge.id}`);
    }
  }
  // A charge for a payment that its own sale does not carry: the customer paid that sale twice
  // (another id was made for the same payment — what I4 forbids — or a tender was lost).
  const cardsOfSale = new Map<string, Set<string>>();
  const tenderSale = new Map<string, string>();
  for (const till of tills) {
    for (const { sale } of salesOf(till)) {
      const cards = sale.tenders.filter((tender) => tender.kind === 'card').map((tender) => tender.id);
      cardsOfSale.set(sale.id, new Set(cards));
      for (const id of cards) {
        const other = tenderSale.get(id);
        if (other !== undefined && other !== sale.id)
          add('I4', `payment id ${id} is a tender of two sales (${other}, ${sale.id})`);
        tenderSale.set(id, sale.id);
      }
    }
  }
  for (const [id] of succeeded) {
    const saleId = paymentById.get(id)?.sale_id ?? journals.get(id)?.saleId;
    const carried = saleId === undefined || saleId === null ? undefined : cardsOfSale.get(saleId);
    if (carried !== undefined && !carried.has(id)) {
      add('I4', `payment ${id} was charged for sale ${saleId}, which was recorded without it (paid twice)`);
    }
  }
  for (const payment of sql.payments) {
    if (payment.state === 'captured' && !succeeded.has(payment.id)) {
      add('I4', `payment ${payment.id} is captured in SQL but the gateway holds no charge for it`);
    }
    if (payment.state === 'declined' && !declinedAtGateway.has(payment.id)) {
      add('I5', `payment ${payment.id} is declined in SQL but the gateway never declined it`);
    }
  }
}

/**
 * I5: every card tender of a sale the server holds ends in one terminal state in SQL, linked to
 * its sale, and the till's journal shows that state; payments no stored sale carries are either
 * settled or visibly waiting (pending until their expiry, on the till's list of unrecorded
 * payments), and a charge among them is shown on the till as a charge.
 */
function checkPaymentStates({ sql, tills }: Evidence, add: Add): void {
  const paymentById = new Map(sql.payments.map((payment) => [payment.id, payment]));
  const sqlSaleIds = new Set(sql.sales.map((row) => row.id));
  const tenderIds = new Set<string>();
  for (const till of tills) {
    const journal = new Map(till.cardPayments.map((row) => [row.id, row]));
    for (const { sale, lost } of salesOf(till)) {
      // A restored-away sale that never reached the server confirmed nothing: its cards are
      // checked below, with the payments no sale carries.
      if (lost && !sqlSaleIds.has(sale.id)) continue;
      for (const tender of sale.tenders) {
        if (tender.kind !== 'card') continue;
        tenderIds.add(tender.id);
        const payment = paymentById.get(tender.id);
        const where = `till ${till.index} seq ${sale.deviceSeq} card ${tender.id}`;
        if (!payment) {
          add(sqlSaleIds.has(sale.id) ? 'I5' : 'LIVE', `${where}: no payment row in SQL`);
          continue;
        }
        if (payment.sale_id !== sale.id || payment.sale_received_at === null || payment.amount !== tender.amount) {
          add('I5', `${where}: the payment row is not linked to its sale (${payment.sale_id}, ${payment.amount})`);
        }
        if (payment.state === 'quarantined') add('I5', `${where}: quarantined: ${payment.quarantine_reason}`);
        else if (!TERMINAL.has(payment.state))
          add('LIVE', `${where}: still ${payment.state} (${payment.last_error ?? ''})`);
        if (tender.entry === 'live' && payment.state !== 'captured') {
          add('I5', `${where}: a live-captured tender is ${payment.state} in SQL`);
        }
        const row = journal.get(tender.id);
        if (!lost && row && row.state !== payment.state && TERMINAL.has(payment.state)) {
          add('I5', `${where}: the till shows ${row.state}, the server says ${payment.state}`);
        }
      }
    }
  }
  for (const payment of sql.payments) {
    if (tenderIds.has(payment.id)) continue;
    const owner = tills.find((till) => till.device.deviceId === payment.device_id);
    const row = owner?.cardPayments.find((candidate) => candidate.id === payment.id);
    const lost = owner?.lostPayments.some((candidate) => candidate.id === payment.id) ?? false;
    const where = `payment ${payment.id} (no stored sale carries it)`;
    if (payment.sale_received_at !== null)
      add('I5', `${where}: SQL links it to sale ${payment.sale_id}, which no till holds`);
    if (payment.state === 'unknown') add('LIVE', `${where}: still unknown`);
    if (payment.state === 'quarantined') add('I5', `${where}: quarantined: ${payment.quarantine_reason}`);
    if (!row) {
      if (!lost) add('I5', `${where}: the till that made it has no journal row for it`);
      continue;
    }
    if (payment.state === 'captured' && row.state !== 'captured') {
      add('I5', `${where}: charged at the gateway, but the till shows it ${row.state}`);
    }
  }
}

/**
 * I7: per device and store day, what the till sold (including sales a restore took off it after
 * they reached the server) equals what the server holds, count and total; and card tendered =
 * captured + declined + pending + expired + written off, every card tender matched to its payment.
 */
function checkTotals({ sql, tills, timezone }: Evidence, add: Add): void {
  const dayOf = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const paymentById = new Map(sql.payments.map((payment) => [payment.id, payment]));
  const sqlSaleIds = new Set(sql.sales.map((row) => row.id));
  for (const till of tills) {
    const deviceId = till.device.deviceId;
    const tillDays = new Map<string, { count: number; total: number }>();
    for (const { sale, lost } of salesOf(till)) {
      if (lost && !sqlSaleIds.has(sale.id)) continue;
      const day = dayOf.format(new Date(sale.createdAt));
      const entry = tillDays.get(day) ?? { count: 0, total: 0 };
      entry.count += 1;
      entry.total += sale.totals.total;
      tillDays.set(day, entry);
    }
    const sqlDays = new Map<string, { count: number; total: number; card: number; settled: number }>();
    for (const row of sql.sales) {
      if (row.device_id !== deviceId) continue;
      const day = dayOf.format(new Date(row.created_at));
      const entry = sqlDays.get(day) ?? { count: 0, total: 0, card: 0, settled: 0 };
      entry.count += 1;
      entry.total += Number(row.total);
      const sale = JSON.parse(row.payload) as Sale;
      for (const tender of sale.tenders) {
        if (tender.kind !== 'card') continue;
        entry.card += tender.amount;
        const payment = paymentById.get(tender.id);
        if (
          payment?.sale_id === sale.id &&
          Number(payment.amount) === tender.amount &&
          payment.sale_received_at !== null
        ) {
          entry.settled += tender.amount; // in exactly one of captured/declined/pending/expired/written off
        }
      }
      const flags = JSON.parse(row.flags) as FlagCode[];
      for (const flag of flags) {
        if (ARITHMETIC_FLAGS.includes(flag)) add('I7', `till ${till.index} seq ${row.device_seq}: flagged ${flag}`);
      }
      if (flags.includes('payment_unverified') && !unverifiedExplained(sale, paymentById)) {
        add('I5', `till ${till.index} seq ${row.device_seq}: flagged payment_unverified with no contradicting payment`);
      }
      sqlDays.set(day, entry);
    }
    for (const day of new Set([...tillDays.keys(), ...sqlDays.keys()])) {
      const mine = tillDays.get(day) ?? { count: 0, total: 0 };
      const theirs = sqlDays.get(day) ?? { count: 0, total: 0, card: 0, settled: 0 };
      if (mine.count !== theirs.count || mine.total !== theirs.total) {
        add(
          'I7',
          `till ${till.index} ${day}: till ${mine.count} sales / ${mine.total}, server ${theirs.count} / ${theirs.total}`,
        );
      }
      if (theirs.card !== theirs.settled) {
        add(
          'I7',
          `till ${till.index} ${day}: card tendered ${theirs.card} but only ${theirs.settled} matched to payments`,
        );
      }
    }
  }
}

/** `payment_unverified` is right when a card tender contradicts its payment (declined/expired live attempt, not captured live). */
function unverifiedExplained(sale: Sale, paymentById: Map<string, SqlPayment>): boolean {
  return sale.tenders.some((tender) => {
    if (tender.kind !== 'card') return false;
    const payment = paymentById.get(tender.id);
    if (!payment || payment.sale_id !== sale.id) return true;
    if (tender.entry === 'live') return payment.state !== 'captured' || tender.gatewayRef !== payment.gateway_ref;
    return ['declined', 'expired', 'written_off'].includes(payment.state);
  });
}
