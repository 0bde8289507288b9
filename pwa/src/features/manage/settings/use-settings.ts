import { useQuery } from '@tanstack/react-query';
import type { StoreSettingsResponse } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** The store's settings; the catalog uses its tax rates too. */
export function useSettings(storeId: string) {
  return useQuery({
    queryKey: manageKeys.settings(storeId),
    queryFn: () => apiGet<StoreSettingsResponse>(`/stores/${storeId}/settings`),
  });
}
