import { useQuery } from '@tanstack/react-query';
import type { ManagerAccountsResponse } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** The tenant's accounts (owners only, MGR-6): not asked for at all when `enabled` is false. */
export function useAccounts(enabled: boolean) {
  return useQuery({
    queryKey: manageKeys.accounts(),
    queryFn: async () => (await apiGet<ManagerAccountsResponse>('/accounts')).accounts,
    enabled,
  });
}
