import type { QueryClient } from '@tanstack/react-query';
import { setCsrfToken } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/**
 * Forgets the session and every figure loaded under it, so nothing of one manager's stores stays
 * in memory for whoever signs in next.
 */
export function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.removeQueries({ queryKey: [...manageKeys.all, 'store'] });
  queryClient.setQueryData(manageKeys.session(), null);
}
