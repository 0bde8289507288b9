import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ManagerAccountChange, ManagerAccountRow, NewManagerAccountRequest } from '@till/shared/core';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

export type SaveAccount =
  | { kind: 'create'; account: NewManagerAccountRequest }
  | { kind: 'update'; managerId: string; change: ManagerAccountChange };

/**
 * Adds or changes an account (MGR-14). The session is refreshed too: an owner who changes their
 * own role or stores sees the console follow at once.
 */
export function useSaveAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (save: SaveAccount) =>
      save.kind === 'create'
        ? apiSend<ManagerAccountRow>('POST', '/accounts', save.account)
        : apiSend<ManagerAccountRow>('PUT', `/accounts/${save.managerId}`, save.change),
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: manageKeys.accounts() }),
        queryClient.invalidateQueries({ queryKey: manageKeys.session() }),
      ]);
    },
  });
}
