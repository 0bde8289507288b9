import type { Kysely } from 'kysely';
import type { OperationsStore } from '../../../console/operations-store.ts';
import type { LedgerTables } from '../../../tables.ts';

export function kyselyOperationsStore(_db: Kysely<LedgerTables>): OperationsStore {
  return {};
}
