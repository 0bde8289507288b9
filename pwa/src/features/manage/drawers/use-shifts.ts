import { useQuery } from '@tanstack/react-query';
import type { ShiftsResponse } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';
import type { DayRange } from '../exports/days.ts';

/** The store's drawer sessions opened in a range of store-time days. */
export function useShifts(storeId: string, range: DayRange) {
  return useQuery({
    queryKey: manageKeys.shifts(storeId, range),
    queryFn: () => apiGet<ShiftsResponse>(`/stores/${storeId}/shifts`, { from: range.from, to: range.to }),
    refetchInterval: 60_000,
  });
}
