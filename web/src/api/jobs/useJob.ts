import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import type { Job } from '../types';
import { jobKeys } from './keys';
import { subscribeJob } from './jobSocket';

export function fetchJob(id: string, signal?: AbortSignal): Promise<Job> {
  return api<Job>(`/jobs/${encodeURIComponent(id)}`, { signal });
}

export function isJobFinished(job: Job | undefined): boolean {
  return job?.status === 'succeeded' || job?.status === 'failed' || job?.status === 'canceled';
}

/**
 * Follows a job: live over the WebSocket when it is open, polling GET /jobs/{id} otherwise
 * (and slowly even when live, in case an event is missed).
 */
export function useJob(id: string | null, pollMs = 1000) {
  const qc = useQueryClient();
  const [live, setLive] = useState(false);

  useEffect(() => {
    if (!id) return undefined;
    return subscribeJob(
      id,
      (job) => qc.setQueryData(jobKeys.detail(id), job),
      (connected) => setLive(connected),
    );
  }, [id, qc]);

  return useQuery({
    queryKey: jobKeys.detail(id ?? ''),
    queryFn: ({ signal }) => fetchJob(id as string, signal),
    enabled: id != null,
    refetchInterval: (q) => (isJobFinished(q.state.data) ? false : live ? pollMs * 5 : pollMs),
  });
}
