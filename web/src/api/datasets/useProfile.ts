import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { Profile } from '../types';
import { datasetKeys } from './keys';

export function fetchProfile(id: string, signal?: AbortSignal): Promise<Profile> {
  return api<Profile>(`/datasets/${encodeURIComponent(id)}/profile`, { signal });
}

export function useProfile(id: string, enabled = true) {
  return useQuery({
    queryKey: datasetKeys.profile(id),
    queryFn: ({ signal }) => fetchProfile(id, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}
