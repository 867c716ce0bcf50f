import type { SortSpec } from '../types';

export const datasetKeys = {
  all: ['datasets'] as const,
  byProject: (projectId: string) => [...datasetKeys.all, 'project', projectId] as const,
  detail: (id: string) => [...datasetKeys.all, 'detail', id] as const,
  /** Prefix of every rows page of a dataset, for invalidation on a new version. */
  rows: (id: string) => [...datasetKeys.all, 'rows', id] as const,
  rowsPage: (id: string, version: number, sort: SortSpec | null, page: number, pageSize: number) =>
    [
      ...datasetKeys.rows(id),
      version,
      sort ? `${sort.column}:${sort.direction}` : '',
      pageSize,
      page,
    ] as const,
  profile: (id: string) => [...datasetKeys.all, 'profile', id] as const,
  versions: (id: string) => [...datasetKeys.all, 'versions', id] as const,
};
