import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { SuggestionsResponse } from '../types';
import { cleaningKeys } from './keys';

export function fetchSuggestions(id: string, signal?: AbortSignal): Promise<SuggestionsResponse> {
  return api<SuggestionsResponse>(`/datasets/${encodeURIComponent(id)}/suggestions`, { signal });
}

export function useSuggestions(id: string) {
  return useQuery({
    queryKey: cleaningKeys.suggestions(id),
    queryFn: ({ signal }) => fetchSuggestions(id, signal),
    staleTime: 5 * 60_000,
  });
}
