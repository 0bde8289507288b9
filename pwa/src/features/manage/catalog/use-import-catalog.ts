import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CatalogImportResponse } from '@till/shared/core';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** Imports a CSV catalog, all or nothing (MGR-10); a 400 lists every bad row in `details`. */
export function useImportCatalog(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (csv: string) => apiSend<CatalogImportResponse>('POST', `/stores/${storeId}/products/import`, { csv }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: manageKeys.store(storeId) }),
  });
}
