import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { Me } from '../types';
import { authKeys } from './keys';

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return api<Me>('/auth/me', { signal });
}

export function useMe() {
  return useQuery({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 60_000,
  });
}
