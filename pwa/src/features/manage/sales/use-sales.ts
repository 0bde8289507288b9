import { useInfiniteQuery } from '@tanstack/react-query';
import type { SalesResponse } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';
import type { SalesFilters } from './sales-filters.ts';

const PAGE_SIZE = 50;

/** Sales matching a search, newest first, a page at a time. `enabled` is false while the form has errors. */
export function useSales(storeId: string, filters: SalesFilters, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: manageKeys.sales(storeId, filters),
    queryFn: ({ pageParam }) =>
      apiGet<SalesResponse>(`/stores/${storeId}/sales`, { ...filters, limit: PAGE_SIZE, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    enabled,
  });
}
