import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { MAX_RETRIES, retryDelay, shouldRetry } from './retry';

const err = (status: number, retryAfterSeconds: number | null = null) =>
  new ApiError({ status, code: 'X', message: 'x', retryAfterSeconds });

describe('retry policy', () => {
  it('never retries 4xx except 429', () => {
    for (const s of [400, 401, 403, 404, 409, 413, 415, 422])
      expect(shouldRetry(0, err(s))).toBe(false);
    expect(shouldRetry(0, err(429))).toBe(true);
  });

  it('retries 5xx and network errors up to the limit', () => {
    expect(shouldRetry(0, err(500))).toBe(true);
    expect(shouldRetry(0, err(0))).toBe(true);
    expect(shouldRetry(MAX_RETRIES, err(503))).toBe(false);
    expect(shouldRetry(0, new TypeError('x'))).toBe(true);
  });

  it('backs off exponentially and honours Retry-After', () => {
    expect(retryDelay(0, err(500))).toBe(1000);
    expect(retryDelay(1, err(500))).toBe(2000);
    expect(retryDelay(10, err(500))).toBe(10_000);
    expect(retryDelay(0, err(429, 5))).toBe(5000);
  });
});
