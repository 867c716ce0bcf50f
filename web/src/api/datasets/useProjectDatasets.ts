import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { Dataset, ListResponse } from '../types';
import { datasetKeys } from './keys';

export function fetchProjectDatasets(
  projectId: string,
  signal?: AbortSignal,
): Promise<ListResponse<Dataset>> {
  return api<ListResponse<Dataset>>(`/projects/${encodeURIComponent(projectId)}/datasets`, {
    signal,
  });
}

export function useProjectDatasets(projectId: string) {
  return useQuery({
    queryKey: datasetKeys.byProject(projectId),
    queryFn: ({ signal }) => fetchProjectDatasets(projectId, signal),
  });
}
