import type { FileRecord, Job } from '../../api/types';
import type { UploadEntry } from './upload.utils';

export type FollowAction =
  | { type: 'failed'; error: string }
  | { type: 'processed'; datasetIds: string[] }
  | { type: 'refetch-file' };

/**
 * What to do next for an upload whose bytes are on the server, given the latest file and
 * job objects: the file's status is the truth; the job only speeds things up (a failed
 * job is final; a succeeded job means the file is worth refetching now).
 */
export function nextProcessingAction(
  entry: Pick<UploadEntry, 'fileId' | 'jobId'>,
  file: FileRecord | undefined,
  job: Job | undefined,
): FollowAction | null {
  if (file?.status === 'error') {
    return {
      type: 'failed',
      error: file.error_message || job?.error || 'The file could not be read.',
    };
  }
  if (file?.status === 'ready') return { type: 'processed', datasetIds: file.dataset_ids ?? [] };
  if (job?.status === 'failed' || job?.status === 'canceled') {
    return {
      type: 'failed',
      error:
        job.error ||
        job.message ||
        (job.status === 'canceled' ? 'Processing was canceled.' : 'Processing failed.'),
    };
  }
  if (job?.status === 'succeeded') {
    return entry.fileId ? { type: 'refetch-file' } : { type: 'processed', datasetIds: [] };
  }
  if (!entry.fileId && !entry.jobId) return { type: 'processed', datasetIds: [] };
  return null;
}
