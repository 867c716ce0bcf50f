import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { HistoryResponse } from '../types';
import { cleaningKeys } from './keys';

export function fetchHistory(id: string, signal?: AbortSignal): Promise<HistoryResponse> {
  return api<HistoryResponse>(`/datasets/${encodeURIComponent(id)}/history`, { signal });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: cleaningKeys.history(id),
    queryFn: ({ signal }) => fetchHistory(id, signal),
  });
}
