import { describe, expect, it } from 'vitest';
import {
  acceptedFiles,
  newEntry,
  phaseLabel,
  tusErrorMessage,
  uploadPercent,
  uploadReducer,
  type UploadEntry,
} from './upload.utils';

const start = (): UploadEntry[] =>
  uploadReducer([], { type: 'add', entry: newEntry('k', 'p', { name: 'a.csv', size: 1000 }) });

describe('upload reducer', () => {
  it('moves through upload, processing and done', () => {
    let s = start();
    s = uploadReducer(s, { type: 'progress', key: 'k', bytesSent: 250 });
    expect(s[0]).toMatchObject({ phase: 'uploading', bytesSent: 250 });
    expect(uploadPercent(s[0]!)).toBe(25);
    s = uploadReducer(s, { type: 'uploaded', key: 'k', fileId: 'f', jobId: 'j' });
    expect(s[0]).toMatchObject({ phase: 'processing', fileId: 'f', jobId: 'j', bytesSent: 1000 });
    s = uploadReducer(s, { type: 'processed', key: 'k', datasetIds: ['d1'] });
    expect(s[0]).toMatchObject({ phase: 'done', datasetIds: ['d1'] });
  });

  it('pauses and resumes', () => {
    let s = uploadReducer(start(), { type: 'progress', key: 'k', bytesSent: 100 });
    s = uploadReducer(s, { type: 'paused', key: 'k' });
    expect(phaseLabel(s[0]!)).toBe('Paused at 10%');
    s = uploadReducer(s, { type: 'progress', key: 'k', bytesSent: 120 });
    expect(s[0]?.phase).toBe('paused');
    s = uploadReducer(s, { type: 'resumed', key: 'k' });
    expect(s[0]?.phase).toBe('uploading');
  });

  it('ignores events after a terminal phase and never goes backwards', () => {
    let s = uploadReducer(start(), { type: 'progress', key: 'k', bytesSent: 500 });
    s = uploadReducer(s, { type: 'progress', key: 'k', bytesSent: 300 });
    expect(s[0]?.bytesSent).toBe(500);
    s = uploadReducer(s, { type: 'canceled', key: 'k' });
    s = uploadReducer(s, { type: 'progress', key: 'k', bytesSent: 900 });
    expect(s[0]).toMatchObject({ phase: 'canceled', bytesSent: 500 });
    s = uploadReducer(s, { type: 'dismiss', key: 'k' });
    expect(s).toEqual([]);
  });

  it('records failures', () => {
    const s = uploadReducer(start(), { type: 'failed', key: 'k', error: 'too big' });
    expect(s[0]).toMatchObject({ phase: 'error', error: 'too big' });
  });
});

describe('tusErrorMessage', () => {
  it('prefers the server message', () => {
    const body = JSON.stringify({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'File exceeds the 2 GB limit' },
    });
    expect(tusErrorMessage(413, body, 'tus: unexpected response')).toBe(
      'File exceeds the 2 GB limit',
    );
  });

  it('falls back per status and for network errors', () => {
    expect(tusErrorMessage(415, '', '')).toBe('This file format is not supported.');
    expect(tusErrorMessage(null, '', 'tus: failed to upload chunk')).toMatch(/interrupted/);
  });
});

describe('acceptedFiles', () => {
  it('drops nameless entries', () => {
    const files = [new File(['a'], 'a.csv'), new File([''], '')];
    expect(acceptedFiles(files).map((f) => f.name)).toEqual(['a.csv']);
    expect(acceptedFiles(null)).toEqual([]);
  });
});
