import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ManagerSession } from '@till/shared/core';
import { apiGet, setCsrfToken } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';
import { isUnauthorized } from '../ui/errors.ts';

/**
 * Who is signed in: `GET /manager/session`, `null` when nobody is (401). Every answer refreshes
 * the CSRF token the client sends on writes (MGR-3).
 */
export const sessionQuery = queryOptions({
  queryKey: manageKeys.session(),
  queryFn: async (): Promise<ManagerSession | null> => {
    try {
      const session = await apiGet<ManagerSession>('/session');
      setCsrfToken(session.csrfToken);
      return session;
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      setCsrfToken(null);
      return null;
    }
  },
  staleTime: 60_000,
});

export function useSession() {
  return useQuery(sessionQuery);
}
