/**
 * The console's operational reads and actions: devices, batches, sales, payments and their
 * actions, settings, products. Every method takes a ConsoleScope and never reaches outside it
 * (I10); every change writes its audit row in its own transaction (MGR-8). Implemented in
 * ../kysely/console/operations/.
 */
// biome-ignore lint/complexity/noBannedTypes: filled in by the operations work
export type OperationsStore = {};
