import type { ManagerSession, ManagerStore } from '@till/shared/core';

/** What every console page is given by the shell (`ManageApp`). */
export interface PageProps {
  session: ManagerSession;
  /** The store being looked at (the manager picks one when they may see several). */
  store: ManagerStore;
  /**
   * Goes to another console page, e.g. `navigate('payments', { view: 'declined_after_forwarding' })`.
   * `{ replace: true }` rewrites the current history entry instead (filters changing as you type).
   */
  navigate: (page: ManagePage, params?: Record<string, string>, options?: { replace?: boolean }) => void;
  /** The current page's query parameters (e.g. `sale`, `batch`, `view`, `date`). */
  params: URLSearchParams;
}

/** The console's pages; the URL is `/manage/<page>` (`/manage` alone is `today`). */
export const MANAGE_PAGES = [
  'today',
  'payments',
  'sales',
  'batches',
  'devices',
  'drawers',
  'catalog',
  'settings',
  'exports',
  'report',
  'audit',
  'team',
] as const;
export type ManagePage = (typeof MANAGE_PAGES)[number];
