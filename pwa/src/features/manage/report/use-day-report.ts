import { useQuery } from '@tanstack/react-query';
import type { DayReport } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** The end-of-day reconciliation of one store-time day (MGR-11); today when `date` is undefined. */
export function useDayReport(storeId: string, date: string | undefined) {
  return useQuery({
    queryKey: manageKeys.dayReport(storeId, date),
    queryFn: () => apiGet<DayReport>(`/stores/${storeId}/reports/day`, { date }),
  });
}
