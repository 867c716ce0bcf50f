import { useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import type { Recipe } from '../types';
import { cleaningKeys } from './keys';

export function fetchRecipe(id: string, signal?: AbortSignal): Promise<Recipe> {
  return api<Recipe>(`/datasets/${encodeURIComponent(id)}/recipe`, { signal });
}

/** The recipe is read on demand (copying it), through the cache so a repeat copy is instant. */
export function useFetchRecipe(id: string) {
  const qc = useQueryClient();
  return () =>
    qc.fetchQuery({
      queryKey: cleaningKeys.recipe(id),
      queryFn: ({ signal }) => fetchRecipe(id, signal),
    });
}
