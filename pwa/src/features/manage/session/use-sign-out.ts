import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../api/client.ts';
import { isUnauthorized } from '../ui/errors.ts';
import { forgetSession } from './end-session.ts';

/**
 * `DELETE /manager/session`, then the query cache is cleared. If the server cannot be reached
 * the session is NOT forgotten here: the cookie would still be valid, and saying "signed out"
 * on a shared laptop would be a lie.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await apiSend<void>('DELETE', '/session');
      } catch (error) {
        // Already over on the server: signing out is done.
        if (!isUnauthorized(error)) throw error;
      }
    },
    onSuccess: () => forgetSession(queryClient),
  });
}
