import { canonicalJson, chainHash, type FlagCode, GENESIS_HASH, type Sale } from '@till/shared';
import { toWireSale } from '../../pwa/src/db/index.ts';
import {
  type Add,
  CHAIN_FLAGS,
  type Evidence,
  type InvariantId,
  type SqlSale,
  salesOf,
  type Violation,
} from './evidence.ts';
import { checkCharges, checkPaymentStates, checkTotals } from './payment-invariants.ts';

/**
 * The end-of-run checks on the ledger of sales: I1 on each till, I2 (and SYNC-8, I9) between
 * the tills and SQL, I3 on the server's chains. The card checks (I4, I5, I7) are in
 * `payment-invariants.ts`; the evidence they all read, in `evidence.ts`.
 */

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
