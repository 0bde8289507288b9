import { useQuery } from '@tanstack/react-query';
import type { SaleDetail } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** One sale as the server holds it: lines, tenders, each card payment and its attempts, issues. */
export function useSale(storeId: string, saleId: string | null) {
  return useQuery({
    queryKey: manageKeys.sale(storeId, saleId ?? ''),
    queryFn: () => apiGet<SaleDetail>(`/stores/${storeId}/sales/${saleId}`),
    enabled: saleId !== null,
  });
}
