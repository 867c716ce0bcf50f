import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import { safeNextPath, signInErrorMessage, signInPathFor, validateCredentials } from './auth.utils';

describe('sign-in helpers', () => {
  it('names the wait on 429', () => {
    const e = new ApiError({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'x',
      retryAfterSeconds: 42,
    });
    expect(signInErrorMessage(e)).toBe('Too many attempts, try again in 42 s');
    const e2 = new ApiError({ status: 429, code: 'RATE_LIMITED', message: 'x' });
    expect(signInErrorMessage(e2)).toBe('Too many attempts, try again later');
  });

  it('shows the server message otherwise', () => {
    const e = new ApiError({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'Invalid email or password',
    });
    expect(signInErrorMessage(e)).toBe('Invalid email or password');
  });

  it('only follows same-origin next paths', () => {
    expect(safeNextPath('/datasets/1?x=1')).toBe('/datasets/1?x=1');
    expect(safeNextPath('//evil.com')).toBe('/projects');
    expect(safeNextPath('https://evil.com')).toBe('/projects');
    expect(safeNextPath('/\\evil.com')).toBe('/projects');
    expect(safeNextPath('/sign-in?next=/x')).toBe('/projects');
    expect(safeNextPath(null)).toBe('/projects');
  });

  it('builds the sign-in path keeping the intended URL', () => {
    expect(signInPathFor('/datasets/abc/profile')).toBe(
      '/sign-in?next=%2Fdatasets%2Fabc%2Fprofile',
    );
    expect(signInPathFor('/sign-in')).toBe('/sign-in');
  });

  it('validates credentials', () => {
    expect(validateCredentials('', '', 'sign-in')).toEqual({
      email: 'Enter your email address.',
      password: 'Enter your password.',
    });
    expect(validateCredentials('a@b', 'x', 'sign-in').email).toBe('Enter a valid email address.');
    expect(validateCredentials('a@b.co', 'short', 'register').password).toBe(
      'Use at least 8 characters.',
    );
    expect(validateCredentials('a@b.co', 'short', 'sign-in')).toEqual({});
  });
});
