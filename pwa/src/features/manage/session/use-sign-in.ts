import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginRequest, ManagerSession } from '@till/shared/core';
import { apiSend, setCsrfToken } from '../api/client.ts';
import { manageKeys } from '../api/manage-keys.ts';

/** The sign-in mutation's key: the shell's "session ended" watch ignores its 401 (a wrong password). */
export const signInMutationKey = [...manageKeys.session(), 'sign-in'] as const;

/** `POST /manager/session` (MGR-1); on success the session is what every page reads. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: signInMutationKey,
    mutationFn: (login: LoginRequest) => apiSend<ManagerSession>('POST', '/session', login),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(manageKeys.session(), session);
    },
  });
}
