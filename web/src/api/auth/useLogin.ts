import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import { forgetEarlyResponses } from '../early';
import type { AuthResponse, LoginInput } from '../types';
import { authKeys } from './keys';

export function login(input: LoginInput): Promise<AuthResponse> {
  return api<AuthResponse>('/auth/login', { method: 'POST', body: input });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: async () => {
      // A different person may be signing in: drop everything cached for the previous one.
      qc.clear();
      forgetEarlyResponses();
      await qc.invalidateQueries({ queryKey: authKeys.all });
    },
  });
}
