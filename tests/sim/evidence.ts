import { type FlagCode, type PaymentState, TERMINAL_PAYMENT_STATES } from '@till/shared';
import Database from 'better-sqlite3';
import type { LedgerSale } from '../../pwa/src/db/index.ts';
import type { LedgerSnapshot } from '../../scripts/gateway-simulator/control.ts';
import type { TillSnapshot } from './till/sim-till.ts';

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

export const TERMINAL = new Set<string>(TERMINAL_PAYMENT_STATES);
export const CHAIN_FLAGS: readonly FlagCode[] = ['seq_gap', 'seq_reuse', 'hash_break', 'hash_invalid'];
export const ARITHMETIC_FLAGS: readonly FlagCode[] = ['totals_mismatch', 'tender_mismatch', 'currency_mismatch'];

export type Add = (invariant: InvariantId, message: string) => void;

/**
 * Every sale a till made, as far as the checks are concerned: what it holds now, and what a
 * restore from backup took off it (`lost`), as it was just before the restore.
 */
export function salesOf(till: TillSnapshot): Array<{ sale: LedgerSale; lost: boolean }> {
  return [
    ...till.lostSales.map((sale) => ({ sale, lost: true })),
    ...till.sales.map((sale) => ({ sale, lost: false })),
  ];
}
