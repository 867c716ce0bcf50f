import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { authKeys } from '../api/auth/keys';
import { datasetKeys } from '../api/datasets/keys';
import { peekEarlyJson } from '../api/early';
import { projectKeys } from '../api/projects/keys';
import type { Dataset } from '../api/types';
import { PAGE_SIZE } from '../features/datasets/grid.utils';

/**
 * Puts the answers that public/boot.js requested for the first screen into the query cache as
 * soon as they arrive — usually before React's first render, as boot.js starts them while the
 * app's JavaScript loads. The screen then renders with its data at once, instead of a loading
 * state, a second render for the session, and a third for the screen's own data. Keep the
 * URLs in step with boot.js; an answer that is not a 2xx is left to the screen's own request
 * (which takes it via takeEarlyResponse and handles the error or the expired session).
 * Returns a promise that settles once every early answer for the screen has been taken in
 * (cached or left); it never rejects.
 */
export function primeFromEarlyResponses(qc: QueryClient, pathname: string): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const put = (url: string, key: QueryKey): Promise<unknown> | null => {
    const data = peekEarlyJson(url);
    if (data) {
      pending.push(
        data.then((value) => {
          if (value != null && qc.getQueryData(key) === undefined) qc.setQueryData(key, value);
        }),
      );
    }
    return data;
  };
  const settled = () =>
    Promise.all(pending).then(
      () => undefined,
      () => undefined,
    );
  if (/^\/(sign-in|register)(\/|$)/.test(pathname)) return settled();
  put('/api/v1/auth/me', authKeys.me());
  let m: RegExpExecArray | null;
  if (pathname === '/' || /^\/projects\/?$/.test(pathname)) {
    put('/api/v1/projects', projectKeys.lists());
  } else if ((m = /^\/projects\/([^/]+)\/?$/.exec(pathname))) {
    const raw = m[1] ?? '';
    put(`/api/v1/projects/${raw}`, projectKeys.detail(decoded(raw)));
  } else if ((m = /^\/datasets\/([^/]+)(\/[^/]*)?\/?$/.exec(pathname))) {
    const raw = m[1] ?? '';
    const id = decoded(raw);
    const dataset = put(`/api/v1/datasets/${raw}`, datasetKeys.detail(id));
    const rows =
      !m[2] || m[2] === '/'
        ? peekEarlyJson(`/api/v1/datasets/${raw}/rows?offset=0&limit=${PAGE_SIZE}`)
        : null;
    if (dataset && rows) {
      // The grid's first page, under the key of the dataset's current version.
      pending.push(
        Promise.all([dataset, rows]).then(([d, page]) => {
          if (d == null || page == null) return;
          const key = datasetKeys.rowsPage(id, (d as Dataset).version, null, 0, PAGE_SIZE);
          if (qc.getQueryData(key) === undefined) qc.setQueryData(key, page);
        }),
      );
    }
  }
  return settled();
}

/** A path segment as the router's params give it. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The longest the first render waits for the first screen's early answers (see main.tsx). A
 * first render without them (the grid's placeholders) costs a whole render, layout, paint and
 * rasterization of the screen, and the render with the data only starts after it: on a small
 * machine more than this wait.
 */
export const FIRST_RENDER_WAIT_MS = 300;

/** Settles when `p` settles or after `ms`, whichever comes first; never rejects. */
export function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    p.then(done, done);
  });
}
