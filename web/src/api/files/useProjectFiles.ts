import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { ApiError } from '../errors';
import type { FileRecord, ListResponse } from '../types';
import { fileKeys } from './keys';

/**
 * GET /projects/{id}/files — not in API.md v1 yet. A 404/405 answer means the server does
 * not list files, and the UI then shows only this session's uploads (null here).
 */
export async function fetchProjectFiles(
  projectId: string,
  signal?: AbortSignal,
): Promise<FileRecord[] | null> {
  try {
    const res = await api<ListResponse<FileRecord>>(
      `/projects/${encodeURIComponent(projectId)}/files`,
      { signal },
    );
    return res.items;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export function useProjectFiles(projectId: string) {
  return useQuery({
    queryKey: fileKeys.byProject(projectId),
    queryFn: ({ signal }) => fetchProjectFiles(projectId, signal),
    refetchInterval: (q) =>
      q.state.data?.some((f) => f.status === 'uploaded' || f.status === 'processing')
        ? 2000
        : false,
  });
}
