import { describe, expect, it } from 'vitest';
import { previewStaleReason } from './clean.utils';
import { jobOutcome } from './job.utils';

describe('previewStaleReason', () => {
  const ops = [{ type: 'trim_whitespace' }];
  it('allows applying exactly what was previewed on the head', () => {
    expect(
      previewStaleReason({ previewVersion: 2, headVersion: 2, previewed: ops, current: [...ops] }),
    ).toBeNull();
    expect(
      previewStaleReason({ previewVersion: 2, headVersion: 2, previewed: null, current: [] }),
    ).toBeNull();
  });
  it('asks for a new preview when the head or the recipe moved', () => {
    expect(
      previewStaleReason({ previewVersion: 1, headVersion: 2, previewed: null, current: [] }),
    ).toMatch(/now at version 2/);
    expect(
      previewStaleReason({ previewVersion: 2, headVersion: 2, previewed: ops, current: [] }),
    ).toMatch(/recipe changed/);
  });
});

describe('jobOutcome', () => {
  it('reads the new version and failures', () => {
    expect(jobOutcome(undefined)).toEqual({ state: 'idle' });
    expect(jobOutcome({ id: 'j', status: 'running', progress: 40, message: 'Applying' })).toEqual({
      state: 'running',
      progress: 40,
      message: 'Applying',
    });
    expect(
      jobOutcome({ id: 'j', status: 'succeeded', progress: 100, result: { version: 3 } }),
    ).toEqual({ state: 'succeeded', version: 3 });
    expect(jobOutcome({ id: 'j', status: 'failed', progress: 10, error: 'cast failed' })).toEqual({
      state: 'failed',
      error: 'cast failed',
    });
    expect(jobOutcome({ id: 'j', status: 'canceled', progress: 10 })).toEqual({
      state: 'failed',
      error: 'The job was canceled.',
    });
  });
});
