import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { manageKeys } from '../api/manage-keys.ts';
import { forgetSession } from '../session/end-session.ts';
import { isUnauthorized } from '../ui/errors.ts';

const SESSION_KEY = manageKeys.session();

function isSessionKey(key: readonly unknown[] | undefined): boolean {
  return key !== undefined && SESSION_KEY.every((part, index) => key[index] === part);
}

/**
 * Any request answered 401 means the session is over (idle or too old, MGR-2): forget it and
 * everything loaded under it, and tell the manager why they see the sign-in form again. A wrong
 * password at sign-in is a 401 too, and is not an ended session.
 */
export function useSessionGuard(onEnded: () => void): void {
  const queryClient = useQueryClient();
  const onEndedRef = useRef(onEnded);
  onEndedRef.current = onEnded;

  useEffect(() => {
    // Not inside the cache's own notification: removing queries there would pull the rug.
    const end = () =>
      queueMicrotask(() => {
        forgetSession(queryClient);
        onEndedRef.current();
      });
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error') return;
      if (isSessionKey(event.query.queryKey) || !isUnauthorized(event.action.error)) return;
      end();
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error') return;
      const key = event.mutation.options.mutationKey;
      if ((key !== undefined && isSessionKey(key)) || !isUnauthorized(event.action.error)) return;
      end();
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient]);
}
