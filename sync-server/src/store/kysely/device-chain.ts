import { FLAG_CODES, type FlagCode, GENESIS_HASH, type Sale, type Tender, uuidv7 } from '@till/shared';
import type { Kysely } from 'kysely';
import type { DeviceContext, PreparedSale } from '../ledger-store.ts';
import type { LedgerTables, SequenceIssueKind } from '../tables.ts';

// A Transaction is a Kysely bound to one connection; the chain only ever runs inside one.
type Trx = Kysely<LedgerTables>;

/** A sequence problem found while storing a sale; one `sequence_issues` row each. */
interface Issue {
  kind: SequenceIssueKind;
  fromSeq: number;
  toSeq: number;
  detail: string;
}

/**
 * One device's hash chain as stored, checked and extended sale by sale inside a push
 * transaction (I3: gaps, reuse and breaks are detected and recorded; the sale is kept anyway).
 * Because the transaction holds the write lock, what it reads here is the whole truth.
 */
export class DeviceChain {
  #arrivalCount: number;
  #lastSeq: number;

  constructor(
    private readonly trx: Trx,
    private readonly device: DeviceContext,
    private readonly receivedAt: string,
    private readonly batchId: string,
    state: { arrivalCount: number; lastSeq: number },
  ) {
    this.#arrivalCount = state.arrivalCount;
    this.#lastSeq = state.lastSeq;
  }

  get arrivalCount(): number {
    return this.#arrivalCount;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Stores a sale never seen before with every flag it earns (plus `paymentFlags`, found by the
   * capture outbox in the same transaction); returns those flags.
   */
  async storeNewSale(prepared: PreparedSale, paymentFlags: FlagCode[] = []): Promise<FlagCode[]> {
    const { sale } = prepared;
    const seq = sale.deviceSeq;
    const flags = new Set<FlagCode>([...prepared.arithmeticFlags, ...paymentFlags]);
    const issues: Issue[] = [];

    if (!prepared.hashValid) {
      flags.add('hash_invalid');
      issues.push({ kind: 'invalid', fromSeq: seq, toSeq: seq, detail: 'hash is not the chain hash of the sale' });
    }
    const sameSeq = await this.#firstStoredAt(seq);
    if (sameSeq !== undefined) {
      flags.add('seq_reuse');
      issues.push({
        kind: 'reuse',
        fromSeq: seq,
        toSeq: seq,
        detail: `deviceSeq ${seq} already used by ${sameSeq.id}`,
      });
    }
    if (seq === 1) {
      if (sale.prevHash !== GENESIS_HASH) {
        flags.add('hash_break');
        issues.push({
          kind: 'break',
          fromSeq: seq,
          toSeq: seq,
          detail: 'first sale does not link to the genesis hash',
        });
      }
    } else {
      const predecessor = await this.#firstStoredAt(seq - 1);
      if (predecessor === undefined) {
        flags.add('seq_gap');
        const gap = await this.#missingRangeBelow(seq);
        if (!(await this.#openGapCovers(gap.fromSeq, gap.toSeq))) {
          issues.push({ kind: 'gap', ...gap, detail: `deviceSeq ${gap.fromSeq}..${gap.toSeq} not received` });
        }
      } else if (predecessor.hash !== sale.prevHash) {
        flags.add('hash_break');
        issues.push({
          kind: 'break',
          fromSeq: seq,
          toSeq: seq,
          detail: `prevHash is not the hash of ${predecessor.id} (deviceSeq ${seq - 1})`,
        });
      }
    }

    const ordered = FLAG_CODES.filter((code) => flags.has(code));
    this.#arrivalCount += 1;
    this.#lastSeq = Math.max(this.#lastSeq, seq);
    await this.trx
      .insertInto('sales')
      .values({
        tenant_id: this.device.tenantId,
        id: sale.id,
        store_id: this.device.storeId,
        device_id: this.device.deviceId,
        device_seq: seq,
        arrival_no: this.#arrivalCount,
        prev_hash: sale.prevHash,
        hash: sale.hash,
        payload_hash: prepared.payloadHash,
        payload: prepared.payload,
        receipt_no: sale.receiptNo,
        created_at: sale.createdAt,
        received_at: this.receivedAt,
        batch_id: this.batchId,
        currency: sale.currency,
        total: sale.totals.total,
        tax: sale.totals.tax,
        status: ordered.length > 0 ? 'flagged' : 'new',
        flags: JSON.stringify(ordered),
        shift_id: sale.shiftId ?? null,
        cashier: sale.cashier ?? null,
        cash_total: tenderSum(sale, 'cash'),
        card_total: tenderSum(sale, 'card'),
        discount: sale.totals.discount,
      })
      .execute();
    for (const issue of issues) await this.#recordIssue(issue, sale.id);

    await this.#resolveFilledGaps(seq);
    // Only the first sale stored at a seq is anyone's predecessor, so only it can break a link
    // to a successor that arrived before it.
    if (sameSeq === undefined) await this.#checkSuccessorLink(seq, sale.id, sale.hash);
    return ordered;
  }

  /** Highest N with 1..N all stored, advancing from a previously known value. */
  async ackedSeq(previous: number): Promise<number> {
    const rows = await this.trx
      .selectFrom('sales')
      .select('device_seq')
      .distinct()
      .where('device_id', '=', this.device.deviceId)
      .where('device_seq', '>', previous)
      .orderBy('device_seq')
      .execute();
    let acked = previous;
    for (const row of rows) {
      if (row.device_seq !== acked + 1) break;
      acked = row.device_seq;
    }
    return acked;
  }

  async #firstStoredAt(seq: number): Promise<{ id: string; hash: string; prev_hash: string } | undefined> {
    return this.trx
      .selectFrom('sales')
      .select(['id', 'hash', 'prev_hash'])
      .where('device_id', '=', this.device.deviceId)
      .where('device_seq', '=', seq)
      .orderBy('arrival_no')
      .limit(1) // TOP (1) on Azure SQL (mssql/plugins.ts)
      .executeTakeFirst();
  }

  /** The run of seqs missing right below `seq`: from the highest stored seq under it, plus one. */
  async #missingRangeBelow(seq: number): Promise<{ fromSeq: number; toSeq: number }> {
    const below = await this.trx
      .selectFrom('sales')
      .select((eb) => eb.fn.max('device_seq').as('seq'))
      .where('device_id', '=', this.device.deviceId)
      .where('device_seq', '<', seq)
      .executeTakeFirst();
    return { fromSeq: (below?.seq ?? 0) + 1, toSeq: seq - 1 };
  }

  async #openGapCovers(fromSeq: number, toSeq: number): Promise<boolean> {
    const open = await this.trx
      .selectFrom('sequence_issues')
      .select('id')
      .where('device_id', '=', this.device.deviceId)
      .where('kind', '=', 'gap')
      .where('resolved_at', 'is', null)
      .where('from_seq', '<=', fromSeq)
      .where('to_seq', '>=', toSeq)
      .executeTakeFirst();
    return open !== undefined;
  }

  /** A gap is resolved once every seq in its range is stored. */
  async #resolveFilledGaps(seq: number): Promise<void> {
    const gaps = await this.trx
      .selectFrom('sequence_issues')
      .select(['id', 'from_seq', 'to_seq'])
      .where('device_id', '=', this.device.deviceId)
      .where('kind', '=', 'gap')
      .where('resolved_at', 'is', null)
      .where('from_seq', '<=', seq)
      .where('to_seq', '>=', seq)
      .execute();
    for (const gap of gaps) {
      const stored = await this.trx
        .selectFrom('sales')
        .select((eb) => eb.fn.count<number>('device_seq').distinct().as('seqs'))
        .where('device_id', '=', this.device.deviceId)
        .where('device_seq', '>=', gap.from_seq)
        .where('device_seq', '<=', gap.to_seq)
        .executeTakeFirstOrThrow();
      if (Number(stored.seqs) === gap.to_seq - gap.from_seq + 1) {
        await this.trx
          .updateTable('sequence_issues')
          .set({ resolved_at: this.receivedAt })
          .where('id', '=', gap.id)
          .execute();
      }
    }
  }

  /**
   * A successor that arrived before this sale (it was flagged seq_gap then) is checked now:
   * if its prevHash is not this sale's hash, the break is recorded on it and it gains the flag.
   */
  async #checkSuccessorLink(seq: number, saleId: string, hash: string): Promise<void> {
    const successor = await this.#firstStoredAt(seq + 1);
    if (successor === undefined || successor.prev_hash === hash) return;
    await this.#recordIssue(
      {
        kind: 'break',
        fromSeq: seq + 1,
        toSeq: seq + 1,
        detail: `prevHash is not the hash of ${saleId} (deviceSeq ${seq}), which arrived later`,
      },
      successor.id,
    );
    const row = await this.trx
      .selectFrom('sales')
      .select('flags')
      .where('tenant_id', '=', this.device.tenantId)
      .where('id', '=', successor.id)
      .executeTakeFirstOrThrow();
    const flags = new Set(JSON.parse(row.flags) as FlagCode[]).add('hash_break');
    await this.trx
      .updateTable('sales')
      .set({ status: 'flagged', flags: JSON.stringify(FLAG_CODES.filter((code) => flags.has(code))) })
      .where('tenant_id', '=', this.device.tenantId)
      .where('id', '=', successor.id)
      .execute();
  }

  async #recordIssue(issue: Issue, saleId: string): Promise<void> {
    await this.trx
      .insertInto('sequence_issues')
      .values({
        id: uuidv7(),
        tenant_id: this.device.tenantId,
        store_id: this.device.storeId,
        device_id: this.device.deviceId,
        kind: issue.kind,
        from_seq: issue.fromSeq,
        to_seq: issue.toSeq,
        sale_id: saleId,
        detail: issue.detail,
        detected_at: this.receivedAt,
        resolved_at: null,
      })
      .execute();
  }
}

/** The sum of a sale's tenders of one kind, for the report columns. */
function tenderSum(sale: Sale, kind: Tender['kind']): number {
  let sum = 0;
  for (const tender of sale.tenders) if (tender.kind === kind) sum += tender.amount;
  return sum;
}
