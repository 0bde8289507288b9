import { useInfiniteQuery } from '@tanstack/react-query';
import type { PaymentState, PaymentsResponse, PaymentView } from '@till/shared/core';
import { apiGet } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

export interface PaymentsFilter {
  view: PaymentView;
  /** Only with the `all` view. */
  state?: PaymentState;
}

const PAGE_SIZE = 100;

/** One view of the store's card payments, a page at a time (cursor `nextBefore`). */
export function usePayments(storeId: string, filter: PaymentsFilter) {
  return useInfiniteQuery({
    queryKey: manageKeys.payments(storeId, filter),
    queryFn: ({ pageParam }) =>
      apiGet<PaymentsResponse>(`/stores/${storeId}/payments`, {
        view: filter.view,
        state: filter.state,
        limit: PAGE_SIZE,
        before: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    refetchInterval: 30_000,
  });
}
