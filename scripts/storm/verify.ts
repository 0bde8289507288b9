import Database from 'better-sqlite3';
import type { LedgerSnapshot } from '../gateway-simulator/control.ts';

/** Row counts of the server's ledger after the storm. */
export interface LedgerCounts {
  sales: number;
  distinctSales: number;
  flaggedSales: number;
  saleConflicts: number;
  openSequenceIssues: number;
  batches: number;
  payments: number;
  paymentsByState: Record<string, number>;
  captureAttempts: number;
  gatewayRateLimitedAttempts: number;
}

/** What the ledger and the gateway hold after the storm, and whether it is what was sent. */
export interface Verification extends LedgerCounts {
  /** Devices whose stored seqs are not exactly 1…salesPerTill, each once. */
  devicesWithWrongSeqs: number;
  gatewayCharges: number;
  /** Payment ids the gateway charged more than once, plus idempotency keys with more than one intent. */
  duplicateCharges: number;
  /** Payments captured in the ledger without exactly one successful charge at the gateway. */
  capturedWithoutCharge: number;
  checks: Record<string, boolean>;
  pass: boolean;
}

export interface Expected {
  tills: number;
  salesPerTill: number;
  cardPayments: number;
}

function ledgerCounts(db: Database.Database): LedgerCounts {
  const one = (sql: string): number => (db.prepare(sql).get() as { n: number | null }).n ?? 0;
  const states = db.prepare('select state, count(*) as n from payments group by state').all() as {
    state: string;
    n: number;
  }[];
  return {
    sales: one('select count(*) as n from sales'),
    distinctSales: one('select count(distinct id) as n from sales'),
    flaggedSales: one("select count(*) as n from sales where status <> 'new'"),
    saleConflicts: one('select count(*) as n from sale_conflicts'),
    openSequenceIssues: one('select count(*) as n from sequence_issues where resolved_at is null'),
    batches: one('select count(*) as n from batches'),
    payments: one('select count(*) as n from payments'),
    paymentsByState: Object.fromEntries(states.map((row) => [row.state, row.n])),
    captureAttempts: one("select count(*) as n from payment_attempts where kind = 'capture'"),
    gatewayRateLimitedAttempts: one("select count(*) as n from payment_attempts where code = 'rate_limited'"),
  };
}

function devicesWithWrongSeqs(db: Database.Database, salesPerTill: number): number {
  const rows = db
    .prepare(
      `select count(*) as n, count(distinct device_seq) as seqs, min(device_seq) as low, max(device_seq) as high
       from sales group by device_id`,
    )
    .all() as { n: number; seqs: number; low: number; high: number }[];
  const complete = (row: (typeof rows)[number]) =>
    row.n === salesPerTill && row.seqs === salesPerTill && row.low === 1 && row.high === salesPerTill;
  return rows.filter((row) => !complete(row)).length;
}

/** Captured card payments in the ledger, first and last capture time (ISO), for the drain time. */
export function captureProgress(file: string): { captured: number; open: number; lastCapturedAt: string | null } {
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare(
        `select sum(case when state = 'captured' then 1 else 0 end) as captured,
                sum(case when state in ('pending', 'unknown', 'quarantined') then 1 else 0 end) as open,
                max(captured_at) as last
         from payments`,
      )
      .get() as { captured: number | null; open: number | null; last: string | null };
    return { captured: row.captured ?? 0, open: row.open ?? 0, lastCapturedAt: row.last };
  } finally {
    db.close();
  }
}

/**
 * Every sale once (count = distinct = tills × sales, each device exactly seqs 1…n, nothing
 * flagged), every card payment captured, and the gateway holding exactly one successful charge
 * per payment id and one intent per idempotency key (I2, I4, I5).
 */
export function verify(file: string, gateway: LedgerSnapshot, expected: Expected): Verification {
  const db = new Database(file, { readonly: true });
  let counts: LedgerCounts;
  let wrongSeqs: number;
  let capturedIds: string[];
  try {
    counts = ledgerCounts(db);
    wrongSeqs = devicesWithWrongSeqs(db, expected.salesPerTill);
    capturedIds = (db.prepare("select id from payments where state = 'captured'").all() as { id: string }[]).map(
      (row) => row.id,
    );
  } finally {
    db.close();
  }
  const succeeded = gateway.counts.succeededByTillPaymentId;
  const duplicateCharges =
    Object.values(succeeded).filter((charges) => charges > 1).length +
    Object.values(gateway.counts.byIdempotencyKey).filter((intents) => intents > 1).length;
  const capturedWithoutCharge = capturedIds.filter((id) => succeeded[id] !== 1).length;
  const checks = {
    everySaleStored: counts.sales === expected.tills * expected.salesPerTill,
    everySaleOnce: counts.distinctSales === counts.sales,
    everyDeviceChainComplete: wrongSeqs === 0,
    nothingFlagged: counts.flaggedSales === 0 && counts.saleConflicts === 0 && counts.openSequenceIssues === 0,
    everyCardPaymentQueued: counts.payments === expected.cardPayments,
    everyCardPaymentCaptured: (counts.paymentsByState.captured ?? 0) === expected.cardPayments,
    gatewayOneChargePerPayment:
      duplicateCharges === 0 && Object.keys(succeeded).length === expected.cardPayments && capturedWithoutCharge === 0,
  };
  return {
    ...counts,
    devicesWithWrongSeqs: wrongSeqs,
    gatewayCharges: Object.values(succeeded).reduce((sum, charges) => sum + charges, 0),
    duplicateCharges,
    capturedWithoutCharge,
    checks,
    pass: Object.values(checks).every(Boolean),
  };
}
