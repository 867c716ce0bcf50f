import { ApiError } from './errors';

export const MAX_RETRIES = 2;

/**
 * The one retry policy: never retry a 4xx (the same request will fail the same way)
 * except 429; retry network errors and 5xx up to MAX_RETRIES times.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (error instanceof ApiError) {
    if (error.status === 429) return true;
    if (error.status >= 400 && error.status < 500) return false;
  }
  return true;
}

/** Exponential backoff (1 s, 2 s, 4 s … capped at 10 s) honouring Retry-After on 429. */
export function retryDelay(attemptIndex: number, error: unknown): number {
  if (error instanceof ApiError && error.retryAfterSeconds != null) {
    return Math.min(error.retryAfterSeconds * 1000, 30_000);
  }
  return Math.min(1000 * 2 ** attemptIndex, 10_000);
}
