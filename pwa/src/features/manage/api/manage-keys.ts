/**
 * TanStack Query keys of the console. Everything of one store sits under `manageKeys.store(id)`,
 * so an action can refresh every figure of that store with one `invalidateQueries`.
 * Pages add their own keys below the store key (e.g. `[...manageKeys.store(id), 'payments', q]`).
 */
export const manageKeys = {
  all: ['manage'] as const,
  session: () => [...manageKeys.all, 'session'] as const,
  /** The tenant's accounts (the Team page): tenant-level, not under a store. */
  accounts: () => [...manageKeys.all, 'accounts'] as const,
  store: (storeId: string) => [...manageKeys.all, 'store', storeId] as const,
  today: (storeId: string, date: string | undefined) =>
    [...manageKeys.store(storeId), 'today', date ?? 'today'] as const,
  dayReport: (storeId: string, date: string | undefined) =>
    [...manageKeys.store(storeId), 'day-report', date ?? 'today'] as const,
  devices: (storeId: string) => [...manageKeys.store(storeId), 'devices'] as const,
  sequenceIssues: (storeId: string) => [...manageKeys.store(storeId), 'sequence-issues'] as const,
  batches: (storeId: string, query: object) => [...manageKeys.store(storeId), 'batches', query] as const,
  batch: (storeId: string, batchId: string) => [...manageKeys.store(storeId), 'batch', batchId] as const,
  sales: (storeId: string, query: object) => [...manageKeys.store(storeId), 'sales', query] as const,
  sale: (storeId: string, saleId: string) => [...manageKeys.store(storeId), 'sale', saleId] as const,
  payments: (storeId: string, query: object) => [...manageKeys.store(storeId), 'payments', query] as const,
  shifts: (storeId: string, query: object) => [...manageKeys.store(storeId), 'shifts', query] as const,
  settings: (storeId: string) => [...manageKeys.store(storeId), 'settings'] as const,
  products: (storeId: string) => [...manageKeys.store(storeId), 'products'] as const,
  audit: (storeId: string, query: object) => [...manageKeys.store(storeId), 'audit', query] as const,
};
