import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import { forgetEarlyResponses } from '../early';

export function logout(): Promise<void> {
  return api<void>('/auth/logout', { method: 'POST' });
}

/**
 * Signs out. The caller leaves the signed-in screens first and then calls `forget()`, so no
 * mounted query refetches (and fails) between the two.
 */
export function useLogout() {
  const qc = useQueryClient();
  const mutation = useMutation({ mutationFn: logout });
  return {
    ...mutation,
    forget: () => {
      qc.clear();
      forgetEarlyResponses();
    },
  };
}
