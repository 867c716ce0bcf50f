import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  api,
  buildUrl,
  isAuthEndpoint,
  setFetchImplementation,
  setUnauthenticatedHandler,
} from './client';
import { ApiError } from './errors';
import { apiError, json, mockFetch } from '../test/mockServer';

afterEach(() => {
  setUnauthenticatedHandler(null);
});

describe('api client', () => {
  it('sends same-origin credentials and JSON content type, and parses JSON', async () => {
    const m = mockFetch(() => json(201, { id: 'p1' }));
    setFetchImplementation(m.fn);
    const res = await api<{ id: string }>('/projects', { method: 'POST', body: { name: 'A' } });
    expect(res).toEqual({ id: 'p1' });
    expect(m.calls[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/projects',
      credentials: 'same-origin',
      body: { name: 'A' },
    });
    expect(m.calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('returns undefined for 204', async () => {
    setFetchImplementation(mockFetch(() => new Response(null, { status: 204 })).fn);
    await expect(api('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('refreshes once on 401 and retries the original request', async () => {
    let refreshed = false;
    const m = mockFetch((req) => {
      if (req.path === '/api/v1/auth/refresh') {
        refreshed = true;
        return json(200, { access_token: 'x' });
      }
      return refreshed ? json(200, { items: [] }) : apiError(401, 'UNAUTHENTICATED', 'expired');
    });
    setFetchImplementation(m.fn);
    await expect(api('/projects')).resolves.toEqual({ items: [] });
    expect(m.calls.map((c) => c.path)).toEqual([
      '/api/v1/projects',
      '/api/v1/auth/refresh',
      '/api/v1/projects',
    ]);
  });

  it('shares one refresh between concurrent 401s', async () => {
    let refreshed = false;
    let refreshCalls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const m = mockFetch(async (req) => {
      if (req.path === '/api/v1/auth/refresh') {
        refreshCalls += 1;
        await gate;
        refreshed = true;
        return json(200, {});
      }
      return refreshed ? json(200, { ok: req.path }) : apiError(401, 'UNAUTHENTICATED', 'expired');
    });
    setFetchImplementation(m.fn);
    const all = Promise.all([api('/projects'), api('/auth/me'), api('/organization/members')]);
    await vi.waitFor(() =>
      expect(m.calls.filter((c) => c.path !== '/api/v1/auth/refresh').length).toBe(3),
    );
    release();
    const results = await all;
    expect(refreshCalls).toBe(1);
    expect(results).toHaveLength(3);
  });

  it('calls the unauthenticated handler and throws when refresh fails', async () => {
    const onUnauth = vi.fn();
    setUnauthenticatedHandler(onUnauth);
    const m = mockFetch((req) =>
      req.path === '/api/v1/auth/refresh'
        ? apiError(401, 'UNAUTHENTICATED', 'refresh expired')
        : apiError(401, 'UNAUTHENTICATED', 'Session expired', { 'X-Request-Id': 'req-9' }),
    );
    setFetchImplementation(m.fn);
    const err = await api('/projects').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).requestId).toBe('req-9');
    expect(onUnauth).toHaveBeenCalledTimes(1);
    expect(m.calls.filter((c) => c.path === '/api/v1/projects')).toHaveLength(1);
  });

  it('does not refresh on a 401 from the login endpoint', async () => {
    const onUnauth = vi.fn();
    setUnauthenticatedHandler(onUnauth);
    const m = mockFetch(() => apiError(401, 'UNAUTHENTICATED', 'Invalid email or password'));
    setFetchImplementation(m.fn);
    const err = (await api('/auth/login', { method: 'POST', body: {} }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(err.message).toBe('Invalid email or password');
    expect(m.calls).toHaveLength(1);
    expect(onUnauth).not.toHaveBeenCalled();
  });

  it('turns a network failure into a NETWORK_ERROR ApiError', async () => {
    setFetchImplementation((() =>
      Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch);
    const err = (await api('/projects').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe('NETWORK_ERROR');
  });

  it('builds URLs with query parameters and skips empty ones', () => {
    expect(buildUrl('/datasets/a/rows', { offset: 0, limit: 200, sort: undefined })).toBe(
      '/api/v1/datasets/a/rows?offset=0&limit=200',
    );
    expect(buildUrl('/x', { sort: 'col a:asc' })).toBe('/api/v1/x?sort=col+a%3Aasc');
  });

  it('knows which endpoints are auth endpoints', () => {
    expect(isAuthEndpoint('/auth/login')).toBe(true);
    expect(isAuthEndpoint('/auth/refresh')).toBe(true);
    expect(isAuthEndpoint('/auth/me')).toBe(false);
    expect(isAuthEndpoint('/projects')).toBe(false);
  });
});
