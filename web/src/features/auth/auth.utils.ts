import { ApiError, errorMessage } from '../../api/errors';

/** Message for a failed sign-in: a rate limit names the wait, everything else is the server's. */
export function signInErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    const wait = error.retryAfterSeconds;
    return wait != null
      ? `Too many attempts, try again in ${wait} s`
      : 'Too many attempts, try again later';
  }
  return errorMessage(error);
}

/**
 * Where to go after sign-in: only a same-origin path (never `//host` or a scheme), and never
 * back to the auth pages themselves.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/projects'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  if (/^\/(sign-in|register)(\/|\?|$)/.test(next)) return fallback;
  return next;
}

export function signInPathFor(current: string): string {
  const next = safeNextPath(current, '');
  return next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

export interface CredentialErrors {
  email?: string;
  password?: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateCredentials(
  email: string,
  password: string,
  mode: 'sign-in' | 'register',
): CredentialErrors {
  const errors: CredentialErrors = {};
  if (!email.trim()) errors.email = 'Enter your email address.';
  else if (!EMAIL_RE.test(email.trim())) errors.email = 'Enter a valid email address.';
  if (!password) errors.password = 'Enter your password.';
  else if (mode === 'register' && password.length < 8)
    errors.password = 'Use at least 8 characters.';
  return errors;
}
