import { useSyncExternalStore } from 'react';
import type * as Tus from 'tus-js-client';
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
const uploads = new Map<string, Tus.Upload>();
/** Uploads waiting for the tus client to load: started unless canceled (or paused) first. */
const loading = new Map<string, 'start' | 'paused'>();

/** The tus client is loaded with the first upload: it is not on the first screen's bundle. */
let tusModule: Promise<typeof Tus> | null = null;
function loadTus(): Promise<typeof Tus> {
  tusModule ??= import('tus-js-client');
  return tusModule;
}
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
  loading.set(key, 'start');
  loadTus().then(
    (tus) => {
      const state = loading.get(key);
      loading.delete(key);
      if (state) createUpload(tus, key, projectId, file, state === 'start');
    },
    (err: unknown) => {
      loading.delete(key);
      dispatchUpload({
        type: 'failed',
        key,
        error: tusErrorMessage(null, '', err instanceof Error ? err.message : String(err)),
      });
    },
  );
}

function createUpload(
  tus: typeof Tus,
  key: string,
  projectId: string,
  file: File,
  start: boolean,
): void {
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
  if (!start) return; // paused while loading: resumeUpload starts it
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
  if (loading.has(key)) {
    loading.set(key, 'paused');
    dispatchUpload({ type: 'paused', key });
    return;
  }
  const u = uploads.get(key);
  if (!u) return;
  void u.abort(false);
  dispatchUpload({ type: 'paused', key });
}

export function resumeUpload(key: string): void {
  if (loading.has(key)) {
    loading.set(key, 'start');
    dispatchUpload({ type: 'resumed', key });
    return;
  }
  const u = uploads.get(key);
  if (!u) return;
  dispatchUpload({ type: 'resumed', key });
  u.start();
}

export function cancelUpload(key: string): void {
  loading.delete(key);
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
