import { useSyncExternalStore } from 'react';
import * as tus from 'tus-js-client';
import { API_BASE, refreshSession } from '../../api/client';
import {
  newEntry,
  tusErrorMessage,
  uploadReducer,
  type UploadAction,
  type UploadEntry,
} from './upload.utils';

/**
 * Upload manager: one tus upload per file, resumable (chunked PATCHes, fingerprints kept
 * in localStorage until success so a reload can resume), pause / resume / cancel. State is
 * a plain reducer (upload.utils.ts) behind useSyncExternalStore so it survives navigation
 * between screens.
 */

export const TUS_ENDPOINT = `${API_BASE}/tus`;
const CHUNK_SIZE = 16 * 1024 * 1024;

let state: UploadEntry[] = [];
const subscribers = new Set<() => void>();
const uploads = new Map<string, tus.Upload>();
/** The File behind each entry, kept so a failed upload can be retried (and resume). */
const sources = new Map<string, { projectId: string; file: File }>();
let counter = 0;

export function dispatchUpload(action: UploadAction): void {
  state = uploadReducer(state, action);
  subscribers.forEach((s) => s());
}

function subscribe(cb: () => void): () => void {
  subscribers.add(cb);
  return () => subscribers.delete(cb);
}

export function useUploadEntries(projectId: string): UploadEntry[] {
  const all = useSyncExternalStore(subscribe, () => state);
  return all.filter((e) => e.projectId === projectId);
}

/** Retry transient failures; refresh the session on 401; give up on other 4xx. */
export function shouldRetryTus(status: number | null, attempt: number): boolean {
  if (status === 401) {
    void refreshSession();
    return attempt < 2;
  }
  if (
    status != null &&
    status >= 400 &&
    status < 500 &&
    status !== 409 &&
    status !== 423 &&
    status !== 429
  ) {
    return false;
  }
  return true;
}

function startOne(projectId: string, file: File): void {
  counter += 1;
  const key = `${Date.now()}-${counter}`;
  dispatchUpload({ type: 'add', entry: newEntry(key, projectId, file) });
  sources.set(key, { projectId, file });

  const upload = new tus.Upload(file, {
    endpoint: TUS_ENDPOINT,
    chunkSize: CHUNK_SIZE,
    retryDelays: [0, 1000, 3000, 5000],
    removeFingerprintOnSuccess: true,
    metadata: {
      filename: file.name,
      filetype: file.type || 'application/octet-stream',
      project_id: projectId,
    },
    onProgress: (sent) => dispatchUpload({ type: 'progress', key, bytesSent: sent }),
    onShouldRetry: (err, attempt) =>
      shouldRetryTus(err.originalResponse?.getStatus() ?? null, attempt),
    onSuccess: ({ lastResponse }) => {
      uploads.delete(key);
      dispatchUpload({
        type: 'uploaded',
        key,
        fileId: lastResponse.getHeader('X-File-Id') ?? null,
        jobId: lastResponse.getHeader('X-Job-Id') ?? null,
      });
    },
    onError: (err) => {
      uploads.delete(key);
      const res = 'originalResponse' in err ? err.originalResponse : null;
      const status = res ? res.getStatus() : null;
      const body = res ? res.getBody() : '';
      dispatchUpload({
        type: 'failed',
        key,
        error: tusErrorMessage(status, body ?? '', err.message),
      });
    },
  });
  uploads.set(key, upload);
  upload
    .findPreviousUploads()
    .then((previous) => {
      const first = previous[0];
      if (first) upload.resumeFromPreviousUpload(first);
    })
    .catch(() => undefined)
    .finally(() => upload.start());
}

export function startUploads(projectId: string, files: readonly File[]): void {
  files.forEach((f) => startOne(projectId, f));
}

export function pauseUpload(key: string): void {
  const u = uploads.get(key);
  if (!u) return;
  void u.abort(false);
  dispatchUpload({ type: 'paused', key });
}

export function resumeUpload(key: string): void {
  const u = uploads.get(key);
  if (!u) return;
  dispatchUpload({ type: 'resumed', key });
  u.start();
}

export function cancelUpload(key: string): void {
  const u = uploads.get(key);
  uploads.delete(key);
  dispatchUpload({ type: 'canceled', key });
  // abort(true) also DELETEs the partial upload on the server (tus termination).
  if (u) void u.abort(true).catch(() => undefined);
}

export function dismissUpload(key: string): void {
  sources.delete(key);
  dispatchUpload({ type: 'dismiss', key });
}

/** Starts a failed or canceled upload again; tus resumes from what the server already has. */
export function retryUpload(key: string): void {
  const src = sources.get(key);
  if (!src) return;
  dismissUpload(key);
  startOne(src.projectId, src.file);
}

export function canRetryUpload(key: string): boolean {
  return sources.has(key);
}
