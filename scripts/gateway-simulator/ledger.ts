import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { PaymentIntentObject } from './stripe-objects.ts';

/**
 * The simulator's books, on disk: every PaymentIntent it created (succeeded or declined) and
 * every idempotency record (key → request fingerprint + the saved status and body). WAL with
 * synchronous=FULL: a charge the simulator answered for survives a crash or restart, which is
 * what lets tests check "at most one charge per payment id" (I4) across restarts.
 */
export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  statusCode: number;
  body: string;
  requestId: string;
  createdMs: number;
  replays: number;
}

export interface ChargeRow {
  id: string;
  idempotencyKey: string | null;
  tillPaymentId: string | null;
  amount: number;
  currency: string;
  paymentMethod: string;
  status: string;
  declineCode: string | null;
  metadata: Record<string, string>;
  created: string;
}

export interface NewCharge {
  intent: PaymentIntentObject;
  /** The token as the client sent it (`pm_card_visa`). */
  paymentMethod: string;
  declineCode: string | null;
  createdMs: number;
  /** Saved with the charge in the same transaction, when the request carried a key. */
  idempotency: Omit<IdempotencyRecord, 'replays'> | null;
}

/** `created`: the charge was stored; `raced`: another writer stored this key first. */
export type CommitResult = { kind: 'created' } | { kind: 'raced'; record: IdempotencyRecord };

export interface SimulatorLedger {
  /** The live record for a key, ignoring records older than `ttlMs` (Stripe prunes them). */
  findRecord(key: string, nowMs: number, ttlMs: number): IdempotencyRecord | undefined;
  countReplay(key: string): void;
  commitCharge(charge: NewCharge, ttlMs: number): CommitResult;
  findIntent(id: string): PaymentIntentObject | undefined;
  /** Intents whose metadata and status match every given filter, newest first. */
  searchIntents(filter: { metadata: Record<string, string>; status?: string }, limit: number): PaymentIntentObject[];
  charges(): ChargeRow[];
  idempotencyRecords(): Omit<IdempotencyRecord, 'body'>[];
  reset(): void;
  close(): void;
}

export function openSimulatorLedger(file: string): SimulatorLedger {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    create table if not exists payment_intents (
      id text primary key,
      idempotency_key text,
      till_payment_id text,
      amount integer not null,
      currency text not null,
      payment_method text not null,
      status text not null,
      decline_code text,
      metadata text not null,
      body text not null,
      created_ms integer not null
    );
    create index if not exists payment_intents_till_payment_id on payment_intents (till_payment_id);
    create table if not exists idempotency_records (
      key text primary key,
      fingerprint text not null,
      status_code integer not null,
      body text not null,
      request_id text not null,
      created_ms integer not null,
      replays integer not null default 0
    );
  `);

  const selectRecord = db.prepare<[string], RecordRow>('select * from idempotency_records where key = ?');
  const insertRecord = db.prepare(
    `insert or replace into idempotency_records (key, fingerprint, status_code, body, request_id, created_ms, replays)
     values (@key, @fingerprint, @statusCode, @body, @requestId, @createdMs, 0)`,
  );
  const insertIntent = db.prepare(
    `insert into payment_intents
       (id, idempotency_key, till_payment_id, amount, currency, payment_method, status, decline_code, metadata, body, created_ms)
     values (@id, @key, @tillPaymentId, @amount, @currency, @paymentMethod, @status, @declineCode, @metadata, @body, @createdMs)`,
  );
  const live = (row: RecordRow | undefined, nowMs: number, ttlMs: number): IdempotencyRecord | undefined =>
    row && nowMs - row.created_ms < ttlMs ? recordOf(row) : undefined;

  // BEGIN IMMEDIATE takes the write lock first, so the check and the insert cannot interleave with
  // another process on the same file: one key, one charge.
  const commit = db.transaction((charge: NewCharge, ttlMs: number): CommitResult => {
    if (charge.idempotency) {
      const existing = live(selectRecord.get(charge.idempotency.key), charge.createdMs, ttlMs);
      if (existing) return { kind: 'raced', record: existing };
    }
    const { intent } = charge;
    insertIntent.run({
      id: intent.id,
      key: charge.idempotency?.key ?? null,
      tillPaymentId: intent.metadata.till_payment_id ?? null,
      amount: intent.amount,
      currency: intent.currency,
      paymentMethod: charge.paymentMethod,
      status: intent.status,
      declineCode: charge.declineCode,
      metadata: JSON.stringify(intent.metadata),
      body: JSON.stringify(intent),
      createdMs: charge.createdMs,
    });
    if (charge.idempotency) insertRecord.run(charge.idempotency);
    return { kind: 'created' };
  });

  return {
    findRecord: (key, nowMs, ttlMs) => live(selectRecord.get(key), nowMs, ttlMs),
    countReplay: (key) => {
      db.prepare('update idempotency_records set replays = replays + 1 where key = ?').run(key);
    },
    commitCharge: (charge, ttlMs) => commit.immediate(charge, ttlMs),
    findIntent: (id) => {
      const row = db.prepare<[string], { body: string }>('select body from payment_intents where id = ?').get(id);
      return row ? (JSON.parse(row.body) as PaymentIntentObject) : undefined;
    },
    searchIntents: (filter, limit) => {
      const clauses: string[] = [];
      const values: (string | number)[] = [];
      for (const [key, value] of Object.entries(filter.metadata)) {
        clauses.push('json_extract(metadata, ?) = ?');
        values.push(`$.${JSON.stringify(key)}`, value);
      }
      if (filter.status !== undefined) {
        clauses.push('status = ?');
        values.push(filter.status);
      }
      const where = clauses.length > 0 ? `where ${clauses.join(' and ')}` : '';
      const rows = db
        .prepare<(string | number)[], { body: string }>(
          `select body from payment_intents ${where} order by created_ms desc, rowid desc limit ?`,
        )
        .all(...values, limit);
      return rows.map((row) => JSON.parse(row.body) as PaymentIntentObject);
    },
    charges: () =>
      db
        .prepare<[], IntentRow>('select * from payment_intents order by created_ms, rowid')
        .all()
        .map((row) => ({
          id: row.id,
          idempotencyKey: row.idempotency_key,
          tillPaymentId: row.till_payment_id,
          amount: row.amount,
          currency: row.currency,
          paymentMethod: row.payment_method,
          status: row.status,
          declineCode: row.decline_code,
          metadata: JSON.parse(row.metadata) as Record<string, string>,
          created: new Date(row.created_ms).toISOString(),
        })),
    idempotencyRecords: () =>
      db
        .prepare<[], RecordRow>('select * from idempotency_records order by created_ms, rowid')
        .all()
        .map((row) => {
          const { body: _body, ...record } = recordOf(row);
          return record;
        }),
    reset: () => {
      db.exec('delete from payment_intents; delete from idempotency_records;');
    },
    close: () => db.close(),
  };
}

interface RecordRow {
  key: string;
  fingerprint: string;
  status_code: number;
  body: string;
  request_id: string;
  created_ms: number;
  replays: number;
}

interface IntentRow {
  id: string;
  idempotency_key: string | null;
  till_payment_id: string | null;
  amount: number;
  currency: string;
  payment_method: string;
  status: string;
  decline_code: string | null;
  metadata: string;
  created_ms: number;
}

function recordOf(row: RecordRow): IdempotencyRecord {
  return {
    key: row.key,
    fingerprint: row.fingerprint,
    statusCode: row.status_code,
    body: row.body,
    requestId: row.request_id,
    createdMs: row.created_ms,
    replays: row.replays,
  };
}
