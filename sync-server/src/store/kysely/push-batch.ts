import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { PROTOCOL_VERSION, type PushResponse, type SaleResult, uuidv7 } from '@till/shared';
import type { Kysely, Transaction } from 'kysely';
import type { DeviceContext, PreparedBatch, PreparedSale, PushOutcome } from '../ledger-store.ts';
import type { LedgerTables } from '../tables.ts';
import { DeviceChain } from './device-chain.ts';
import { ledgerDialectOf, runInTransaction } from './ledger-dialect.ts';
import { queueCardTenders } from './payments/outbox.ts';
import { toFlag } from './rows.ts';

/** Rows per multi-row insert: 100 × 4 parameters, far under Azure SQL's 2100 per statement. */
const INSERT_CHUNK = 100;
/**
 * Sales ingested between two turns of the event loop. better-sqlite3 answers synchronously, so
 * without a pause a whole 100-sale transaction runs as one unbroken chain of microtasks (tens of
 * ms) and the process accepts no connection and answers nothing meanwhile — under a reconnect
 * storm new connections then wait in the kernel's accept queue, where load shedding cannot
 * answer them (Node accepts one connection per loop turn). The transaction keeps the connection
 * (its mutex) across the pause, so nothing else touches the ledger in between: atomicity holds.
 */
const SALES_PER_TURN = 10;

/**
 * Ingests one push. Everything happens in ONE immediate transaction, which is what makes I2
 * and I6 hold: the answer the till receives lists exactly what is durably committed, and a
 * concurrent push of the same sales (same process: queued on the connection; another process:
 * waiting on the write lock) sees them as stored and answers `duplicate`.
 *
 * Rules, in order:
 * 1. A known batchId from this device with the same request hash → the stored answer, verbatim,
 *    nothing written. Different content, or another device's batchId → `batch_id_reused`.
 * 2. Per sale, in the order sent: a stored sale with this id (this tenant) and the same payload
 *    from the same device → `duplicate`. Otherwise the stored one stays untouched, the newcomer
 *    goes to `sale_conflicts`, and the answer is `flagged` [payload_conflict].
 * 3. A new sale is stored with every flag it earns (arithmetic, chain: see DeviceChain) —
 *    never refused (I3, I9). Flags → `flagged`, else `new`. Its card tenders go into the
 *    capture outbox (`payments`) in this same transaction (see payments/outbox.ts, PAY-3).
 * 4. The device row advances: acked_seq, last_seq, last_seen_at, reported status.
 * 5. The batch, its per-sale outcomes and the response are recorded (not for an empty push:
 *    a heartbeat only refreshes the device row and leaves no batch behind).
 */
export async function pushBatch(
  db: Kysely<LedgerTables>,
  device: DeviceContext,
  batch: PreparedBatch,
): Promise<PushOutcome> {
  const { request, receivedAt } = batch;
  return runInTransaction(db, async (trx) => {
    // First, the device row, locked until commit: pushes of one device run one after another.
    // (SQLite's BEGIN IMMEDIATE already serialises every writer; on Azure SQL this UPDLOCK is
    // what does, so a push retried while its first copy is still running waits, then finds the
    // batch or its sales stored and answers from them.)
    const state = await trx
      .selectFrom(ledgerDialectOf(db).lockedTable('devices', 'update'))
      .select(['status', 'acked_seq', 'last_seq', 'arrival_count'])
      .where('id', '=', device.deviceId)
      .where('tenant_id', '=', device.tenantId)
      .executeTakeFirstOrThrow();

    const known = await trx
      .selectFrom('batches')
      .select(['device_id', 'request_hash', 'response'])
      .where('id', '=', request.batchId)
      .executeTakeFirst();
    if (known !== undefined) {
      if (known.device_id !== device.deviceId || known.request_hash !== batch.requestHash) {
        return { kind: 'batch_id_reused' };
      }
      return { kind: 'replayed', response: JSON.parse(known.response) as PushResponse };
    }

    // Revoked between authentication and this transaction: refuse, write nothing.
    if (state.status !== 'active') return { kind: 'device_revoked' };

    const chain = new DeviceChain(trx, device, receivedAt, request.batchId, {
      arrivalCount: state.arrival_count,
      lastSeq: state.last_seq,
    });
    const results: SaleResult[] = [];
    let total = 0;
    for (const [index, prepared] of batch.sales.entries()) {
      if (index > 0 && index % SALES_PER_TURN === 0) await nextLoopTurn();
      const result = await ingestSale(trx, chain, device, prepared, batch);
      if (result.stored) total += prepared.sale.totals.total;
      results.push(result.answer);
    }
    const ackedSeq = await chain.ackedSeq(state.acked_seq);
    const status = request.deviceStatus;
    await trx
      .updateTable('devices')
      .set({
        acked_seq: ackedSeq,
        last_seq: chain.lastSeq,
        arrival_count: chain.arrivalCount,
        last_seen_at: receivedAt,
        ...(status && {
          app_version: status.appVersion,
          unsent_count: status.unsentCount,
          oldest_unsent_at: status.oldestUnsentAt,
          storage_persisted: status.storagePersisted === null ? null : toFlag(status.storagePersisted),
        }),
      })
      .where('id', '=', device.deviceId)
      .execute();

    const response: PushResponse = {
      protocolVersion: PROTOCOL_VERSION,
      batchId: request.batchId,
      receivedAt,
      results,
      ackedSeq,
    };
    if (results.length > 0) await recordBatch(trx, device, batch, response, total);
    return { kind: 'stored', response };
  });
}

async function ingestSale(
  trx: Transaction<LedgerTables>,
  chain: DeviceChain,
  device: DeviceContext,
  prepared: PreparedSale,
  batch: PreparedBatch,
): Promise<{ answer: SaleResult; stored: boolean }> {
  const { sale } = prepared;
  const base = { saleId: sale.id, deviceSeq: sale.deviceSeq };
  const existing = await trx
    .selectFrom('sales')
    .select(['device_id', 'payload_hash'])
    .where('tenant_id', '=', device.tenantId)
    .where('id', '=', sale.id)
    .executeTakeFirst();
  if (existing === undefined) {
    // Only a NEW sale queues its card payments; a duplicate or a conflicting copy queues nothing.
    const paymentFlags = await queueCardTenders(trx, device, sale, batch.receivedAt);
    const flags = await chain.storeNewSale(prepared, paymentFlags);
    return { answer: { ...base, status: flags.length > 0 ? 'flagged' : 'new', flags }, stored: true };
  }
  if (existing.device_id === device.deviceId && existing.payload_hash === prepared.payloadHash) {
    return { answer: { ...base, status: 'duplicate', flags: [] }, stored: false };
  }
  await recordConflict(trx, device, prepared, batch);
  return { answer: { ...base, status: 'flagged', flags: ['payload_conflict'] }, stored: false };
}

/** Keeps the conflicting version for a manager; the same conflicting payload is kept once. */
async function recordConflict(
  trx: Transaction<LedgerTables>,
  device: DeviceContext,
  prepared: PreparedSale,
  batch: PreparedBatch,
): Promise<void> {
  const seen = await trx
    .selectFrom('sale_conflicts')
    .select('id')
    .where('tenant_id', '=', device.tenantId)
    .where('sale_id', '=', prepared.sale.id)
    .where('device_id', '=', device.deviceId)
    .where('payload_hash', '=', prepared.payloadHash)
    .executeTakeFirst();
  if (seen !== undefined) return;
  await trx
    .insertInto('sale_conflicts')
    .values({
      id: uuidv7(),
      tenant_id: device.tenantId,
      store_id: device.storeId,
      device_id: device.deviceId,
      sale_id: prepared.sale.id,
      batch_id: batch.request.batchId,
      payload: prepared.payload,
      payload_hash: prepared.payloadHash,
      received_at: batch.receivedAt,
    })
    .execute();
}

async function recordBatch(
  trx: Transaction<LedgerTables>,
  device: DeviceContext,
  batch: PreparedBatch,
  response: PushResponse,
  total: number,
): Promise<void> {
  const count = (status: SaleResult['status']) => response.results.filter((r) => r.status === status).length;
  await trx
    .insertInto('batches')
    .values({
      id: batch.request.batchId,
      tenant_id: device.tenantId,
      store_id: device.storeId,
      device_id: device.deviceId,
      received_at: batch.receivedAt,
      request_hash: batch.requestHash,
      sale_count: response.results.length,
      new_count: count('new'),
      duplicate_count: count('duplicate'),
      flagged_count: count('flagged'),
      total,
      response: JSON.stringify(response),
    })
    .execute();
  const rows = response.results.map((result, position) => ({
    batch_id: batch.request.batchId,
    position,
    sale_id: result.saleId,
    status: result.status,
  }));
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await trx
      .insertInto('batch_sales')
      .values(rows.slice(start, start + INSERT_CHUNK))
      .execute();
  }
}
