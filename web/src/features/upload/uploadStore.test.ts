import { describe, expect, it } from 'vitest';
import { shouldRetryTus } from './uploadStore';

describe('tus retry decision', () => {
  it('gives up on client errors that will not change', () => {
    expect(shouldRetryTus(413, 0)).toBe(false);
    expect(shouldRetryTus(415, 0)).toBe(false);
    expect(shouldRetryTus(403, 0)).toBe(false);
  });
  it('retries conflicts, rate limits, server and network errors', () => {
    expect(shouldRetryTus(409, 0)).toBe(true);
    expect(shouldRetryTus(429, 0)).toBe(true);
    expect(shouldRetryTus(500, 0)).toBe(true);
    expect(shouldRetryTus(null, 0)).toBe(true);
  });
  it('retries a 401 twice (after refreshing the session)', () => {
    expect(shouldRetryTus(401, 0)).toBe(true);
    expect(shouldRetryTus(401, 2)).toBe(false);
  });
});
