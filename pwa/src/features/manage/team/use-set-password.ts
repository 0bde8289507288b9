import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** Sets an account's password (an owner, or the account itself); its other sessions end. */
export function useSetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      managerId,
      password,
      currentPassword,
    }: {
      managerId: string;
      password: string;
      /** Needed to change your own password. */
      currentPassword?: string;
    }) =>
      apiSend<void>('POST', `/accounts/${managerId}/password`, {
        password,
        ...(currentPassword !== undefined && { currentPassword }),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: manageKeys.accounts() }),
  });
}
