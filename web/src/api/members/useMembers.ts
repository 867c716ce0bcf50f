import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { ListResponse, Member } from '../types';
import { memberKeys } from './keys';

export function fetchMembers(signal?: AbortSignal): Promise<ListResponse<Member>> {
  return api<ListResponse<Member>>('/organization/members', { signal });
}

export function useMembers(enabled = true) {
  return useQuery({
    queryKey: memberKeys.list(),
    queryFn: ({ signal }) => fetchMembers(signal),
    enabled,
  });
}
