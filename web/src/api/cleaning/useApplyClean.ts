import { useMutation } from '@tanstack/react-query';
import { api } from '../client';
import type { CleanInput, JobAccepted } from '../types';

export function applyClean(id: string, input: CleanInput): Promise<JobAccepted> {
  return api<JobAccepted>(`/datasets/${encodeURIComponent(id)}/clean`, {
    method: 'POST',
    body: input,
  });
}

/**
 * Starts the clean job. Nothing changes until the job succeeds, so invalidation happens when
 * the caller sees the job finish (see invalidateDatasetHead).
 */
export function useApplyClean(id: string) {
  return useMutation({ mutationFn: (input: CleanInput) => applyClean(id, input) });
}
