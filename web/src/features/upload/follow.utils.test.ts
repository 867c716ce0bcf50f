import { describe, expect, it } from 'vitest';
import type { FileRecord, Job } from '../../api/types';
import { nextProcessingAction } from './follow.utils';

const file = (over: Partial<FileRecord>): FileRecord => ({
  id: 'f',
  original_filename: 'a.csv',
  size_bytes: 1,
  status: 'processing',
  ...over,
});
const job = (over: Partial<Job>): Job => ({ id: 'j', status: 'running', progress: 50, ...over });
const entry = { fileId: 'f', jobId: 'j' };

describe('nextProcessingAction', () => {
  it('waits while processing', () => {
    expect(nextProcessingAction(entry, file({}), job({}))).toBeNull();
  });
  it('completes when the file is ready', () => {
    expect(
      nextProcessingAction(
        entry,
        file({ status: 'ready', dataset_ids: ['d'] }),
        job({ status: 'succeeded' }),
      ),
    ).toEqual({
      type: 'processed',
      datasetIds: ['d'],
    });
  });
  it('shows the file error text', () => {
    expect(
      nextProcessingAction(
        entry,
        file({ status: 'error', error_message: 'Not a table' }),
        undefined,
      ),
    ).toEqual({
      type: 'failed',
      error: 'Not a table',
    });
  });
  it('fails on a failed job before the file catches up', () => {
    expect(
      nextProcessingAction(entry, file({}), job({ status: 'failed', error: 'Corrupt xlsx' })),
    ).toEqual({
      type: 'failed',
      error: 'Corrupt xlsx',
    });
  });
  it('refetches the file when the job succeeded first', () => {
    expect(nextProcessingAction(entry, file({}), job({ status: 'succeeded' }))).toEqual({
      type: 'refetch-file',
    });
  });
  it('completes without ids when the server gave none to follow', () => {
    expect(nextProcessingAction({ fileId: null, jobId: null }, undefined, undefined)).toEqual({
      type: 'processed',
      datasetIds: [],
    });
  });
});
