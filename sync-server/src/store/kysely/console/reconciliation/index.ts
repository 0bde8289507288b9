import type { Kysely } from 'kysely';
import type { ReconciliationStore } from '../../../console/reconciliation-store.ts';
import type { LedgerTables } from '../../../tables.ts';

export function kyselyReconciliationStore(_db: Kysely<LedgerTables>): ReconciliationStore {
  return {};
}
