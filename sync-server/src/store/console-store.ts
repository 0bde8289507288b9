import type { ManagerAuthStore } from './console/auth-store.ts';
import type { OperationsStore } from './console/operations-store.ts';
import type { ReconciliationStore } from './console/reconciliation-store.ts';

/** Everything the manager console needs from the ledger (one interface per concern). */
export type ConsoleStore = ManagerAuthStore & ReconciliationStore & OperationsStore;
