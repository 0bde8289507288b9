import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ManagerProduct, ProductInput } from '@till/shared/core';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

export interface SaveProduct {
  /** Absent for a new product. */
  productId?: string;
  product: ProductInput;
}

/** Creates or changes one product; the catalog version goes up (MGR-10). */
export function useSaveProduct(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, product }: SaveProduct) =>
      productId === undefined
        ? apiSend<ManagerProduct>('POST', `/stores/${storeId}/products`, product)
        : apiSend<ManagerProduct>('PUT', `/stores/${storeId}/products/${productId}`, product),
    onSettled: () => queryClient.invalidateQueries({ queryKey: manageKeys.store(storeId) }),
  });
}
