import { useMutation } from '@tanstack/react-query';
import { api } from '../client';
import type { JobAccepted } from '../types';

export function restoreVersion(id: string, version: number): Promise<JobAccepted> {
  return api<JobAccepted>(
    `/datasets/${encodeURIComponent(id)}/versions/${encodeURIComponent(String(version))}/restore`,
    { method: 'POST' },
  );
}

/** Starts the restore job; invalidation waits for the job (see invalidateDatasetHead). */
export function useRestoreVersion(id: string) {
  return useMutation({ mutationFn: (version: number) => restoreVersion(id, version) });
}
