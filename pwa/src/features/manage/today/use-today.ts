import { useQuery } from '@tanstack/react-query';
import type { DaySummary } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

const REFRESH_EVERY_MS = 30_000;

/**
 * One store-time day of one store (`undefined`: the server's today). Refetched every 30 s while
 * the page is visible; TanStack Query pauses the interval in a hidden tab.
 */
export function useToday(storeId: string, date: string | undefined) {
  return useQuery({
    queryKey: manageKeys.today(storeId, date),
    queryFn: () => apiGet<DaySummary>(`/stores/${storeId}/today`, { date }),
    refetchInterval: REFRESH_EVERY_MS,
    refetchIntervalInBackground: false,
  });
}
