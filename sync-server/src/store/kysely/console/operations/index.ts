import type { Kysely } from 'kysely';
import type { OperationsStore } from '../../../console/operations-store.ts';
import type { LedgerTables } from '../../../tables.ts';
import { consoleBatch, consoleBatches } from './batches.ts';
import { importConsoleProducts } from './catalog-import.ts';
import { consoleDevices, createConsoleEnrollmentCode, revokeConsoleDevice } from './devices.ts';
import { actOnPayment } from './payment-actions.ts';
import { consolePayments } from './payments.ts';
import { consoleProducts, createConsoleProduct, updateConsoleProduct } from './products.ts';
import { consoleSale, consoleSales } from './sales.ts';
import { acknowledgeSequenceIssue, consoleSequenceIssues } from './sequence-issues.ts';
import { consoleStoreSettings, updateStoreSettings } from './settings.ts';

/** The console's operations over any Kysely dialect; each concern in its own file beside this one. */
export function kyselyOperationsStore(db: Kysely<LedgerTables>): OperationsStore {
  return {
    consoleDevices: (scope, silentSince) => consoleDevices(db, scope, silentSince),
    createConsoleEnrollmentCode: (scope, code) => createConsoleEnrollmentCode(db, scope, code),
    revokeConsoleDevice: (scope, input) => revokeConsoleDevice(db, scope, input),
    consoleBatches: (scope, filter) => consoleBatches(db, scope, filter),
    consoleBatch: (scope, batchId) => consoleBatch(db, scope, batchId),
    consoleSales: (scope, filter) => consoleSales(db, scope, filter),
    consoleSale: (scope, saleId) => consoleSale(db, scope, saleId),
    consolePayments: (scope, filter) => consolePayments(db, scope, filter),
    actOnPayment: (scope, input) => actOnPayment(db, scope, input),
    consoleStoreSettings: (scope) => consoleStoreSettings(db, scope),
    updateStoreSettings: (scope, settings, now) => updateStoreSettings(db, scope, settings, now),
    consoleProducts: (scope) => consoleProducts(db, scope),
    createConsoleProduct: (scope, product, now) => createConsoleProduct(db, scope, product, now),
    updateConsoleProduct: (scope, productId, product, now) => updateConsoleProduct(db, scope, productId, product, now),
    importConsoleProducts: (scope, rows, now) => importConsoleProducts(db, scope, rows, now),
    consoleSequenceIssues: (scope, view) => consoleSequenceIssues(db, scope, view),
    acknowledgeSequenceIssue: (scope, input) => acknowledgeSequenceIssue(db, scope, input),
  };
}
