import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SequenceIssueRow, SequenceIssuesResponse } from '@till/shared/core';
import { apiGet, apiSend } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** The store's open sequence problems: gaps, reused numbers, broken hash chains (I3). */
export function useSequenceIssues(storeId: string) {
  return useQuery({
    queryKey: manageKeys.sequenceIssues(storeId),
    queryFn: async () =>
      (await apiGet<SequenceIssuesResponse>(`/stores/${storeId}/sequence-issues`, { view: 'open' })).issues,
    refetchInterval: 60_000,
  });
}

/** Acknowledges one, with the reason the audit log keeps (MGR-13). */
export function useAcknowledgeIssue(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ issueId, reason }: { issueId: string; reason: string }) =>
      apiSend<SequenceIssueRow>('POST', `/stores/${storeId}/sequence-issues/${issueId}/acknowledge`, { reason }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: manageKeys.store(storeId) }),
  });
}
