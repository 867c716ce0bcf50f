import { useQueries } from '@tanstack/react-query';
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
