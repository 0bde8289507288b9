import { useQuery } from '@tanstack/react-query';
import type { ProductsResponse } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** Every product of the store, active or not, with the catalog version. */
export function useProducts(storeId: string) {
  return useQuery({
    queryKey: manageKeys.products(storeId),
    queryFn: () => apiGet<ProductsResponse>(`/stores/${storeId}/products`),
  });
}
