import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { DatasetVersion, ListResponse } from '../types';
import { datasetKeys } from './keys';

export function fetchVersions(
  id: string,
  signal?: AbortSignal,
): Promise<ListResponse<DatasetVersion>> {
  return api<ListResponse<DatasetVersion>>(`/datasets/${encodeURIComponent(id)}/versions`, {
    signal,
  });
}

export function useVersions(id: string) {
  return useQuery({
    queryKey: datasetKeys.versions(id),
    queryFn: ({ signal }) => fetchVersions(id, signal),
  });
}
