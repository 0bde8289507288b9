/**
 * The console's reconciliation reads: the day summary, the end-of-day report, shifts, audit,
 * exports. Every method takes a ConsoleScope (tenant + store, checked by the route layer) and
 * never reads outside it (I10). Implemented in ../kysely/console/reconciliation/.
 */
// biome-ignore lint/complexity/noBannedTypes: filled in by the reconciliation work
export type ReconciliationStore = {};
