// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { authKeys } from '../api/auth/keys';
import { datasetKeys } from '../api/datasets/keys';
import { forgetEarlyResponses, takeEarlyResponse } from '../api/early';
import { projectKeys } from '../api/projects/keys';
import { json } from '../test/mockServer';
import { primeFromEarlyResponses, settledWithin } from './prime';

afterEach(forgetEarlyResponses);

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('primeFromEarlyResponses', () => {
  it("caches a dataset page's session, record and first rows under the version's key", async () => {
    const rows = { columns: ['a'], rows: [[1]], total: 1, offset: 0, limit: 200 };
    window.__dmEarly = {
      at: Date.now(),
      responses: {
        '/api/v1/auth/me': Promise.resolve(json(200, { user: { id: 'u1' } })),
        '/api/v1/datasets/d1': Promise.resolve(json(200, { id: 'd1', version: 4 })),
        '/api/v1/datasets/d1/rows?offset=0&limit=200': Promise.resolve(json(200, rows)),
      },
    };
    const qc = new QueryClient();
    primeFromEarlyResponses(qc, '/datasets/d1');
    await settle();
    expect(qc.getQueryData(authKeys.me())).toEqual({ user: { id: 'u1' } });
    expect(qc.getQueryData(datasetKeys.detail('d1'))).toEqual({ id: 'd1', version: 4 });
    expect(qc.getQueryData(datasetKeys.rowsPage('d1', 4, null, 0, 200))).toEqual(rows);
    // Read from copies: the responses are still there for the app's own requests.
    expect(await (await takeEarlyResponse('/api/v1/auth/me'))?.json()).toEqual({
      user: { id: 'u1' },
    });
  });

  it('leaves failed answers to the screens and primes nothing on sign-in', async () => {
    window.__dmEarly = {
      at: Date.now(),
      responses: {
        '/api/v1/auth/me': Promise.resolve(json(401, { error: { code: 'UNAUTHENTICATED' } })),
        '/api/v1/projects': Promise.reject(new TypeError('network')),
      },
    };
    const qc = new QueryClient();
    primeFromEarlyResponses(qc, '/projects');
    await settle();
    expect(qc.getQueryData(authKeys.me())).toBeUndefined();
    expect(qc.getQueryData(projectKeys.lists())).toBeUndefined();
    window.__dmEarly = {
      at: Date.now(),
      responses: { '/api/v1/auth/me': Promise.resolve(json(200, { user: { id: 'u1' } })) },
    };
    primeFromEarlyResponses(qc, '/sign-in');
    await settle();
    expect(qc.getQueryData(authKeys.me())).toBeUndefined();
  });
});

describe('the first render waits for the early answers', () => {
  it('settles once the rows are cached, not before, and also when they failed', async () => {
    let answerRows: (r: Response) => void = () => undefined;
    window.__dmEarly = {
      at: Date.now(),
      responses: {
        '/api/v1/auth/me': Promise.resolve(json(200, { user: { id: 'u1' } })),
        '/api/v1/datasets/d1': Promise.resolve(json(200, { id: 'd1', version: 4 })),
        '/api/v1/datasets/d1/rows?offset=0&limit=200': new Promise<Response>((resolve) => {
          answerRows = resolve;
        }),
      },
    };
    const qc = new QueryClient();
    let settled = false;
    void primeFromEarlyResponses(qc, '/datasets/d1').then(() => {
      settled = true;
    });
    await settle();
    expect(qc.getQueryData(authKeys.me())).toBeDefined();
    expect(settled).toBe(false);
    const rows = { columns: ['a'], rows: [[1]], total: 1, offset: 0, limit: 200 };
    answerRows(json(200, rows));
    await settle();
    expect(settled).toBe(true);
    // At that moment the page is in the cache: the grid's first render has its rows.
    expect(qc.getQueryData(datasetKeys.rowsPage('d1', 4, null, 0, 200))).toEqual(rows);

    window.__dmEarly = {
      at: Date.now(),
      responses: { '/api/v1/auth/me': Promise.reject(new TypeError('network')) },
    };
    await expect(primeFromEarlyResponses(new QueryClient(), '/projects')).resolves.toBeUndefined();
    forgetEarlyResponses();
    await expect(primeFromEarlyResponses(new QueryClient(), '/projects')).resolves.toBeUndefined();
  });

  it('waits no longer than the bound', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let done = false;
      void settledWithin(new Promise(() => undefined), 300).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(299);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      let early = false;
      void settledWithin(Promise.reject(new Error('x')), 300).then(() => {
        early = true;
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(early).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
