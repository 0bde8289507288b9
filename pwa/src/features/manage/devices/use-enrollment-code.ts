import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EnrollmentCodeResponse } from '@till/shared/core';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** A new enrollment code for this store (audited, MGR-8); shown once. */
export function useEnrollmentCode(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend<EnrollmentCodeResponse>('POST', `/stores/${storeId}/enrollment-codes`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: manageKeys.store(storeId) }),
  });
}
