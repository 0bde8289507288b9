import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PaymentActionRequest, PaymentActionResponse } from '@till/shared/core';
import { apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** Most payment ids one request may carry (`PaymentActionRequest.paymentIds` maxItems). */
const MAX_IDS_PER_REQUEST = 100;

/**
 * Retry, write off or resolve payments (MGR-7). A selection larger than one request allows goes
 * as several requests, one after the other; the server answers per payment either way. Every
 * figure of the store may have moved, so the whole store's queries are refreshed.
 */
export function usePaymentAction(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: PaymentActionRequest): Promise<PaymentActionResponse> => {
      const results: PaymentActionResponse['results'] = [];
      for (let start = 0; start < request.paymentIds.length; start += MAX_IDS_PER_REQUEST) {
        const paymentIds = request.paymentIds.slice(start, start + MAX_IDS_PER_REQUEST);
        const answer = await apiSend<PaymentActionResponse>('POST', `/stores/${storeId}/payments/actions`, {
          ...request,
          paymentIds,
        });
        results.push(...answer.results);
      }
      return { results };
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: manageKeys.store(storeId) }),
  });
}
