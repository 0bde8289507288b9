import { useQuery } from '@tanstack/react-query';
import type { ManagerDevice } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** The store's tills with what each last reported (also feeds the device filters of other pages). */
export function useDevices(storeId: string) {
  return useQuery({
    queryKey: manageKeys.devices(storeId),
    queryFn: () => apiGet<ManagerDevice[]>(`/stores/${storeId}/devices`),
    refetchInterval: 60_000,
  });
}
