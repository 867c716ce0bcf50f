import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import type { FileRecord } from '../types';
import { fileKeys } from './keys';

export function fetchFile(id: string, signal?: AbortSignal): Promise<FileRecord> {
  return api<FileRecord>(`/files/${encodeURIComponent(id)}`, { signal });
}

/** Whether a file still changes on the server (worth polling). */
export function isFileSettled(file: FileRecord | undefined): boolean {
  return file?.status === 'ready' || file?.status === 'error';
}

export function useFile(id: string | null, pollMs = 1500) {
  return useQuery({
    queryKey: fileKeys.detail(id ?? ''),
    queryFn: ({ signal }) => fetchFile(id as string, signal),
    enabled: id != null,
    refetchInterval: (q) => (isFileSettled(q.state.data) ? false : pollMs),
  });
}
