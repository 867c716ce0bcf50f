// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { api, setFetchImplementation } from './client';
import { forgetEarlyResponses } from './early';
import { json, mockFetch } from '../test/mockServer';

afterEach(forgetEarlyResponses);

describe('responses started by boot.js', () => {
  it('answers the first GET of the same URL once, then the network', async () => {
    window.__dmEarly = {
      at: Date.now(),
      responses: { '/api/v1/projects': Promise.resolve(json(200, { items: ['early'] })) },
    };
    const m = mockFetch(() => json(200, { items: ['network'] }));
    setFetchImplementation(m.fn);
    expect(await api('/projects')).toEqual({ items: ['early'] });
    expect(m.calls).toHaveLength(0);
    expect(await api('/projects')).toEqual({ items: ['network'] });
    expect(m.calls).toHaveLength(1);
  });

  it('asks again when the early answer failed, is stale or is for another method', async () => {
    const m = mockFetch(() => json(200, { ok: true }));
    setFetchImplementation(m.fn);
    window.__dmEarly = {
      at: Date.now(),
      responses: {
        '/api/v1/auth/me': Promise.resolve(json(401, { error: { code: 'UNAUTHENTICATED' } })),
        '/api/v1/projects/p1': Promise.reject(new TypeError('network')),
      },
    };
    expect(await api('/auth/me')).toEqual({ ok: true });
    expect(await api('/projects/p1')).toEqual({ ok: true });
    window.__dmEarly = {
      at: Date.now() - 60_000,
      responses: { '/api/v1/projects': Promise.resolve(json(200, { stale: true })) },
    };
    expect(await api('/projects')).toEqual({ ok: true });
    window.__dmEarly = {
      at: Date.now(),
      responses: { '/api/v1/projects': Promise.resolve(json(200, { early: true })) },
    };
    expect(await api('/projects', { method: 'POST', body: {} })).toEqual({ ok: true });
    expect(m.calls.map((c) => c.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
  });
});
