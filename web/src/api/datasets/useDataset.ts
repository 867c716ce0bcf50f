import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { Dataset } from '../types';
import { datasetKeys } from './keys';

export function fetchDataset(id: string, signal?: AbortSignal): Promise<Dataset> {
  return api<Dataset>(`/datasets/${encodeURIComponent(id)}`, { signal });
}

export function useDataset(id: string) {
  return useQuery({
    queryKey: datasetKeys.detail(id),
    queryFn: ({ signal }) => fetchDataset(id, signal),
  });
}
