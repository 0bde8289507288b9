import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditResponse } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

export interface AuditFilter {
  from: string;
  to: string;
  /** Exact action code, e.g. `payment.write_off`; empty for all. */
  action: string;
}

const PAGE_SIZE = 50;

/** The store's audit log, newest first, a page at a time ("Load more"). */
export function useAudit(storeId: string, filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: manageKeys.audit(storeId, filter),
    queryFn: ({ pageParam }) =>
      apiGet<AuditResponse>(`/stores/${storeId}/audit`, {
        from: filter.from,
        to: filter.to,
        action: filter.action.trim(),
        limit: PAGE_SIZE,
        before: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });
}
