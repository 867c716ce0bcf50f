import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { ListResponse, Project } from '../types';
import { projectKeys } from './keys';

export function fetchProjects(signal?: AbortSignal): Promise<ListResponse<Project>> {
  return api<ListResponse<Project>>('/projects', { signal });
}

export function useProjects() {
  return useQuery({
    queryKey: projectKeys.lists(),
    queryFn: ({ signal }) => fetchProjects(signal),
  });
}
