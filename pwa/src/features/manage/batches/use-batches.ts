import { useInfiniteQuery } from '@tanstack/react-query';
import type { BatchesResponse } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

export interface BatchFilters {
  from?: string;
  to?: string;
  deviceId?: string;
}

const PAGE_SIZE = 50;

/** Pushes received, newest first, a page at a time (`nextBefore` is the cursor of the next page). */
export function useBatches(storeId: string, filters: BatchFilters) {
  return useInfiniteQuery({
    queryKey: manageKeys.batches(storeId, filters),
    queryFn: ({ pageParam }) =>
      apiGet<BatchesResponse>(`/stores/${storeId}/batches`, { ...filters, limit: PAGE_SIZE, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}
