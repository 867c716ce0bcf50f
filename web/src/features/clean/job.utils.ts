import type { Job } from '../../api/types';

export type JobOutcome =
  | { state: 'idle' }
  | { state: 'running'; progress: number | null; message: string | null }
  | { state: 'succeeded'; version: number | null }
  | { state: 'failed'; error: string };

/** What a clean or restore job means for the screen; its result carries the new head. */
export function jobOutcome(job: Job | undefined | null): JobOutcome {
  if (!job) return { state: 'idle' };
  if (job.status === 'succeeded') {
    const r = job.result as { version?: unknown } | null | undefined;
    return { state: 'succeeded', version: typeof r?.version === 'number' ? r.version : null };
  }
  if (job.status === 'failed' || job.status === 'canceled') {
    return {
      state: 'failed',
      error:
        job.error ||
        job.message ||
        (job.status === 'canceled' ? 'The job was canceled.' : 'The job failed.'),
    };
  }
  return {
    state: 'running',
    progress: Number.isFinite(job.progress) ? job.progress : null,
    message: job.message ?? null,
  };
}
