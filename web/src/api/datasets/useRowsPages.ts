import { useQueries, type QueryClient } from '@tanstack/react-query';
import { api } from '../client';
import type { RowsPage, SortSpec } from '../types';
import { datasetKeys } from './keys';

export function sortParam(sort: SortSpec | null): string | undefined {
  return sort ? `${sort.column}:${sort.direction}` : undefined;
}

export function fetchRowsPage(
  id: string,
  offset: number,
  limit: number,
  sort: SortSpec | null,
  signal?: AbortSignal,
): Promise<RowsPage> {
  return api<RowsPage>(`/datasets/${encodeURIComponent(id)}/rows`, {
    query: { offset, limit, sort: sortParam(sort) },
    signal,
  });
}

/** The query for one page of rows (also used to prefetch pages ahead of the grid). */
export function rowsPageQuery(
  id: string,
  version: number,
  sort: SortSpec | null,
  page: number,
  pageSize: number,
) {
  return {
    queryKey: datasetKeys.rowsPage(id, version, sort, page, pageSize),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      fetchRowsPage(id, page * pageSize, pageSize, sort, signal),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
  };
}

/**
 * Fetches the given pages of a dataset's rows. Pages stay in the query cache (the page
 * cache) for five minutes, so scrolling back is instant; a page is never refetched while
 * the dataset version is unchanged (rows of a version are immutable). `isEnabled` holds a
 * page back (its cached data is still returned), to fetch the most wanted pages first.
 */
export function useRowsPages(
  id: string,
  version: number,
  sort: SortSpec | null,
  pages: number[],
  pageSize: number,
  isEnabled?: (page: number) => boolean,
) {
  return useQueries({
    queries: pages.map((page) => ({
      ...rowsPageQuery(id, version, sort, page, pageSize),
      enabled: isEnabled ? isEnabled(page) : true,
    })),
  });
}

/** The most rows the server gives in one request (its `limit` bound). */
const MAX_ROWS_PER_REQUEST = 1000;

/**
 * Starts loading `pages` that are neither cached nor on their way, neighbouring pages in one
 * request (up to 1,000 rows): the server reads the rows of a range once, and one round trip
 * brings them all. Each page still lands in the page cache under its own key. The requests
 * start now, synchronously — a jump calls this before it renders the placeholders. The promise
 * settles when they have all ended. Aborting `signal` cancels them: the requests are aborted
 * and their pages go back to not loaded (no error state), to be asked again when wanted.
 */
export function warmRowsPages(
  qc: QueryClient,
  id: string,
  version: number,
  sort: SortSpec | null,
  pages: readonly number[],
  pageSize: number,
  signal?: AbortSignal,
): Promise<void> {
  const key = (page: number) => datasetKeys.rowsPage(id, version, sort, page, pageSize);
  const todo = [...new Set(pages)]
    .filter((page) => {
      const state = qc.getQueryState(key(page));
      return state?.data === undefined && state?.fetchStatus !== 'fetching';
    })
    .sort((a, b) => a - b);
  if (signal?.aborted || todo.length === 0) return Promise.resolve();
  const most = Math.max(1, Math.floor(MAX_ROWS_PER_REQUEST / pageSize));
  const requests: Promise<unknown>[] = [];
  for (let i = 0; i < todo.length;) {
    const first = todo[i] ?? 0;
    let n = 1;
    while (i + n < todo.length && todo[i + n] === first + n && n < most) n += 1;
    const run = todo.slice(i, i + n);
    i += n;
    const all = fetchRowsPage(id, first * pageSize, n * pageSize, sort, signal);
    run.forEach((page, k) => {
      // Settles once the page is in the cache (or its request failed or was cancelled).
      const cached = qc.prefetchQuery({
        ...rowsPageQuery(id, version, sort, page, pageSize),
        queryFn: () =>
          all.then((data) => ({
            ...data,
            rows: data.rows.slice(k * pageSize, (k + 1) * pageSize),
            offset: page * pageSize,
            limit: pageSize,
          })),
      });
      requests.push(cached);
    });
  }
  signal?.addEventListener(
    'abort',
    () => todo.forEach((page) => void qc.cancelQueries({ queryKey: key(page), exact: true })),
    { once: true },
  );
  return Promise.allSettled(requests).then(() => undefined);
}
