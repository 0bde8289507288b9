import type { Kysely } from 'kysely';
import type { ReconciliationStore } from '../../../console/reconciliation-store.ts';
import type { LedgerTables } from '../../../tables.ts';
import { auditLog } from './audit.ts';
import { dayReport } from './day-report.ts';
import { daySummary } from './day-summary.ts';
import { exportBatches, exportPayments, exportSales } from './exports.ts';
import { shiftRows } from './shifts.ts';

/** The console's reconciliation reads over any Kysely dialect (see ReconciliationStore). */
export function kyselyReconciliationStore(db: Kysely<LedgerTables>): ReconciliationStore {
  return {
    daySummary: (scope, day) => daySummary(db, scope, day),
    dayReport: (scope, day) => dayReport(db, scope, day),
    shiftRows: (scope, query) => shiftRows(db, scope, query),
    auditLog: (scope, query) => auditLog(db, scope, query),
    exportSales: (scope, range) => exportSales(db, scope, range),
    exportPayments: (scope, range) => exportPayments(db, scope, range),
    exportBatches: (scope, range) => exportBatches(db, scope, range),
  };
}
