import { useQuery } from '@tanstack/react-query';
import type { BatchDetail } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** One push and every sale it carried, with what the server made of each. */
export function useBatch(storeId: string, batchId: string | null) {
  return useQuery({
    queryKey: manageKeys.batch(storeId, batchId ?? ''),
    queryFn: () => apiGet<BatchDetail>(`/stores/${storeId}/batches/${batchId}`),
    enabled: batchId !== null,
  });
}
