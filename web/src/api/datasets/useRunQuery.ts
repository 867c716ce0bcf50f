import { useMutation } from '@tanstack/react-query';
import { api } from '../client';
import type { QueryResult } from '../types';

export function runQuery(id: string, sql: string, signal?: AbortSignal): Promise<QueryResult> {
  return api<QueryResult>(`/datasets/${encodeURIComponent(id)}/query`, {
    method: 'POST',
    body: { sql },
    signal,
  });
}

/** SQL is read-only, so nothing is invalidated. */
export function useRunQuery(id: string) {
  return useMutation({
    mutationFn: (sql: string) => runQuery(id, sql),
  });
}
