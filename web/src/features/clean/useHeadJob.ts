import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { invalidateDatasetHead } from '../../api/cleaning/invalidate';
import { useJob } from '../../api/jobs/useJob';
import { jobOutcome, type JobOutcome } from './job.utils';

/**
 * Follows a job that moves the dataset's head (clean or restore). When it succeeds, every
 * query read from the head is invalidated once and `onSucceeded` runs with the new version.
 */
export function useHeadJob(datasetId: string, onSucceeded?: (version: number | null) => void) {
  const qc = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const handled = useRef<string | null>(null);
  const callback = useRef(onSucceeded);
  useEffect(() => {
    callback.current = onSucceeded;
  });

  // Accepted but not polled yet counts as running.
  const outcome: JobOutcome = !jobId
    ? { state: 'idle' }
    : job.data
      ? jobOutcome(job.data)
      : { state: 'running', progress: null, message: null };

  useEffect(() => {
    if (!jobId || handled.current === jobId) return;
    const o = jobOutcome(job.data);
    if (o.state === 'succeeded') {
      handled.current = jobId;
      void invalidateDatasetHead(qc, datasetId);
      callback.current?.(o.version);
    } else if (o.state === 'failed') {
      handled.current = jobId;
    }
  }, [jobId, job.data, qc, datasetId]);

  const reset = useCallback(() => setJobId(null), []);
  return {
    jobId,
    start: setJobId,
    reset,
    outcome,
    pollError: job.error,
  };
}
