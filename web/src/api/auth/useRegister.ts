import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import { forgetEarlyResponses } from '../early';
import type { AuthResponse, RegisterInput } from '../types';
import { authKeys } from './keys';

export function register(input: RegisterInput): Promise<AuthResponse> {
  return api<AuthResponse>('/auth/register', { method: 'POST', body: input });
}

export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: register,
    onSuccess: async () => {
      qc.clear();
      forgetEarlyResponses();
      await qc.invalidateQueries({ queryKey: authKeys.all });
    },
  });
}
