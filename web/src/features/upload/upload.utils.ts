import { errorFromResponseParts } from '../../api/errors';

export type UploadPhase =
  'queued' | 'uploading' | 'paused' | 'processing' | 'done' | 'error' | 'canceled';

export interface UploadEntry {
  key: string;
  projectId: string;
  name: string;
  size: number;
  bytesSent: number;
  phase: UploadPhase;
  fileId: string | null;
  jobId: string | null;
  error: string | null;
  datasetIds: string[];
}

export type UploadAction =
  | { type: 'add'; entry: UploadEntry }
  | { type: 'progress'; key: string; bytesSent: number }
  | { type: 'paused'; key: string }
  | { type: 'resumed'; key: string }
  | { type: 'uploaded'; key: string; fileId: string | null; jobId: string | null }
  | { type: 'processed'; key: string; datasetIds: string[] }
  | { type: 'failed'; key: string; error: string }
  | { type: 'canceled'; key: string }
  | { type: 'dismiss'; key: string };

export function newEntry(
  key: string,
  projectId: string,
  file: { name: string; size: number },
): UploadEntry {
  return {
    key,
    projectId,
    name: file.name,
    size: file.size,
    bytesSent: 0,
    phase: 'queued',
    fileId: null,
    jobId: null,
    error: null,
    datasetIds: [],
  };
}

/** Terminal phases never move again (a late progress event after cancel is ignored). */
export function isTerminal(phase: UploadPhase): boolean {
  return phase === 'done' || phase === 'error' || phase === 'canceled';
}

export function uploadReducer(state: UploadEntry[], action: UploadAction): UploadEntry[] {
  if (action.type === 'add') return [...state, action.entry];
  if (action.type === 'dismiss') return state.filter((e) => e.key !== action.key);
  return state.map((e) => {
    if (e.key !== action.key) return e;
    if (isTerminal(e.phase)) return e;
    switch (action.type) {
      case 'progress':
        return {
          ...e,
          phase: e.phase === 'paused' ? 'paused' : 'uploading',
          bytesSent: Math.max(e.bytesSent, Math.min(action.bytesSent, e.size)),
        };
      case 'paused':
        return e.phase === 'uploading' || e.phase === 'queued' ? { ...e, phase: 'paused' } : e;
      case 'resumed':
        return e.phase === 'paused' ? { ...e, phase: 'uploading' } : e;
      case 'uploaded':
        return {
          ...e,
          phase: 'processing',
          bytesSent: e.size,
          fileId: action.fileId,
          jobId: action.jobId,
        };
      case 'processed':
        return { ...e, phase: 'done', datasetIds: action.datasetIds };
      case 'failed':
        return { ...e, phase: 'error', error: action.error };
      case 'canceled':
        return { ...e, phase: 'canceled' };
      default:
        return e;
    }
  });
}

export function uploadPercent(e: Pick<UploadEntry, 'bytesSent' | 'size' | 'phase'>): number {
  if (e.phase === 'processing' || e.phase === 'done') return 100;
  if (e.size <= 0) return 0;
  return Math.min(100, Math.floor((e.bytesSent / e.size) * 100));
}

export function phaseLabel(e: Pick<UploadEntry, 'phase' | 'bytesSent' | 'size'>): string {
  switch (e.phase) {
    case 'queued':
      return 'Waiting…';
    case 'uploading':
      return `Uploading ${uploadPercent(e)}%`;
    case 'paused':
      return `Paused at ${uploadPercent(e)}%`;
    case 'processing':
      return 'Processing…';
    case 'done':
      return 'Ready';
    case 'error':
      return 'Failed';
    case 'canceled':
      return 'Canceled';
  }
}

/**
 * Readable reason for a refused tus request. The server's envelope message wins; known
 * statuses get a specific fallback; a missing response is a network problem.
 */
export function tusErrorMessage(status: number | null, body: string, fallback: string): string {
  if (status == null || status === 0) {
    return fallback && !/^tus: /.test(fallback)
      ? fallback
      : 'The upload was interrupted. Check your connection and retry.';
  }
  return errorFromResponseParts(status, body, () => null).message;
}

/** Files dropped or picked, minus empty names (a dropped folder shows up as a zero-type entry). */
export function acceptedFiles(list: FileList | readonly File[] | null | undefined): File[] {
  if (!list) return [];
  return Array.from(list).filter((f) => f.name !== '');
}
