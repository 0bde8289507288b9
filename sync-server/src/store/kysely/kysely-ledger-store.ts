import { type Kysely, sql } from 'kysely';
import type { ConsoleStore } from '../console-store.ts';
import type { LedgerAdmin, LedgerStore } from '../ledger-store.ts';
import type { PaymentAdmin, PaymentStore } from '../payment-store.ts';
import type { LedgerTables } from '../tables.ts';
import { kyselyLedgerAdmin } from './admin-queries.ts';
import { getCatalog } from './catalog.ts';
import { kyselyAuthStore } from './console/auth.ts';
import { kyselyOperationsStore } from './console/operations/index.ts';
import { kyselyReconciliationStore } from './console/reconciliation/index.ts';
import { enrollDevice } from './enroll.ts';
import { beginLiveCapture } from './payments/live-capture.ts';
import {
  claimCapturePublications,
  markCaptureMessageConsumed,
  recordCapturePublished,
  releaseCapturePublications,
} from './payments/publications.ts';
import { kyselyPaymentAdmin, paymentBacklog, paymentUpdates } from './payments/queries.ts';
import {
  claimDuePayments,
  claimPayment,
  expediteRetries,
  finishPaymentWork,
  quarantinePayment,
} from './payments/work.ts';
import { pushBatch } from './push-batch.ts';
import { STORE_INFO_COLUMNS, toStoreInfo } from './rows.ts';
import { pushShiftEvents } from './shift-events.ts';

/**
 * The ledger over any Kysely dialect. Query code here is dialect-neutral; what differs per
 * database (connection pragmas, how a transaction takes its write lock) lives in the dialect
 * folder (`../sqlite/`).
 */
export function kyselyLedgerStore(
  db: Kysely<LedgerTables>,
): LedgerStore & LedgerAdmin & PaymentStore & PaymentAdmin & ConsoleStore {
  return {
    ...kyselyLedgerAdmin(db),
    ...kyselyPaymentAdmin(db),
    ...kyselyAuthStore(db),
    ...kyselyReconciliationStore(db),
    ...kyselyOperationsStore(db),

    async ping() {
      await sql`select 1`.execute(db);
    },

    enrollDevice: (input) => enrollDevice(db, input),

    async findDeviceByTokenHash(tokenHash) {
      const row = await db
        .selectFrom('devices')
        .innerJoin('stores', 'stores.id', 'devices.store_id')
        .select([
          ...STORE_INFO_COLUMNS,
          'devices.id as device_id',
          'devices.tenant_id',
          'devices.store_id',
          'devices.device_no',
          'devices.name as device_name',
          'devices.status',
          'devices.acked_seq',
        ])
        .where('devices.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        deviceId: row.device_id,
        tenantId: row.tenant_id,
        storeId: row.store_id,
        deviceNo: row.device_no,
        deviceName: row.device_name,
        status: row.status,
        ackedSeq: row.acked_seq,
        store: toStoreInfo(row),
      };
    },

    getCatalog: (scope, since) => getCatalog(db, scope, since),

    pushBatch: (device, batch) => pushBatch(db, device, batch),

    pushShiftEvents: (device, events, receivedAt) => pushShiftEvents(db, device, events, receivedAt),

    beginLiveCapture: (device, request, lease, now) => beginLiveCapture(db, device, request, lease, now),
    claimDuePayments: (lease, now, limit) => claimDuePayments(db, lease, now, limit),
    claimPayment: (tenantId, paymentId, lease, now) => claimPayment(db, tenantId, paymentId, lease, now),
    quarantinePayment: (input) => quarantinePayment(db, input),
    claimCapturePublications: (lease, now, limit, staleBefore) =>
      claimCapturePublications(db, lease, now, limit, staleBefore),
    recordCapturePublished: (owner, sent, now) => recordCapturePublished(db, owner, sent, now),
    releaseCapturePublications: (owner, failed, error) => releaseCapturePublications(db, owner, failed, error),
    markCaptureMessageConsumed: (input) => markCaptureMessageConsumed(db, input),
    expediteRetries: (now) => expediteRetries(db, now),
    finishPaymentWork: (work) => finishPaymentWork(db, work),
    paymentUpdates: (device, since, limit) => paymentUpdates(db, device, since, limit),
    paymentBacklog: () => paymentBacklog(db),

    async close() {
      await db.destroy();
    },
  };
}
