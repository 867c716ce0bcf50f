import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { Project } from '../types';
import { projectKeys } from './keys';

export function fetchProject(id: string, signal?: AbortSignal): Promise<Project> {
  return api<Project>(`/projects/${encodeURIComponent(id)}`, { signal });
}

/** `enabled: false` holds the request back (a cached project is still returned). */
export function useProject(id: string, enabled = true) {
  return useQuery({
    queryKey: projectKeys.detail(id),
    queryFn: ({ signal }) => fetchProject(id, signal),
    enabled: id !== '' && enabled,
  });
}
