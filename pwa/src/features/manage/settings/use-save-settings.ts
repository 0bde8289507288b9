import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { StoreSettings, StoreSettingsResponse } from '@till/shared/core';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** Saves the store's settings (owner only, MGR-6); tills pick them up on their next sync (MGR-10). */
export function useSaveSettings(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: StoreSettings) =>
      apiSend<StoreSettingsResponse>('PUT', `/stores/${storeId}/settings`, settings),
    onSuccess: (saved) => queryClient.setQueryData(manageKeys.settings(storeId), saved),
    onSettled: () => queryClient.invalidateQueries({ queryKey: manageKeys.store(storeId) }),
  });
}
