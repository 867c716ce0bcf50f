import { describe, expect, it } from 'vitest';
import {
  ApiError,
  errorFromResponse,
  errorFromResponseParts,
  errorMessage,
  parseRetryAfter,
} from './errors';

describe('error parsing', () => {
  it('reads the error envelope, request id and Retry-After', async () => {
    const res = new Response(
      JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Slow down', details: { a: 1 } } }),
      {
        status: 429,
        headers: { 'X-Request-Id': 'abc', 'Retry-After': '12' },
      },
    );
    const e = await errorFromResponse(res);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Slow down',
      requestId: 'abc',
      retryAfterSeconds: 12,
    });
    expect(e.details).toEqual({ a: 1 });
  });

  it('falls back to a status message for non-JSON bodies', () => {
    const e = errorFromResponseParts(502, '<html>Bad gateway</html>', () => null);
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toBe('The server is unreachable.');
  });

  it('uses the standard code for a 413 without a body', () => {
    const e = errorFromResponseParts(413, '', () => null);
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(e.message).toMatch(/too large/);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10);
  });

  it('gives a readable message for anything thrown', () => {
    expect(errorMessage(new ApiError({ status: 400, code: 'X', message: 'Bad name' }))).toBe(
      'Bad name',
    );
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('x')).toBe('Something went wrong.');
  });
});
