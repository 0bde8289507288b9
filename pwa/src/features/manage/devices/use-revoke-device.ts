import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ManagerDevice } from '@till/shared/core';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** Revokes a till with a reason (audited): its token stops working at once. */
export function useRevokeDevice(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ deviceId, reason }: { deviceId: string; reason: string }) =>
      apiSend<ManagerDevice>('POST', `/stores/${storeId}/devices/${deviceId}/revoke`, { reason }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: manageKeys.store(storeId) }),
  });
}
