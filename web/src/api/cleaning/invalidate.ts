import type { QueryClient } from '@tanstack/react-query';
import { datasetKeys } from '../datasets/keys';
import { cleaningKeys } from './keys';

/**
 * After a clean or restore job: the head moved, so everything read from the head is stale —
 * the dataset (version, counts, columns), its rows, profile, versions and the cleaning data.
 */
export function invalidateDatasetHead(qc: QueryClient, id: string): Promise<unknown> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: datasetKeys.detail(id) }),
    qc.invalidateQueries({ queryKey: datasetKeys.rows(id) }),
    qc.invalidateQueries({ queryKey: datasetKeys.profile(id) }),
    qc.invalidateQueries({ queryKey: datasetKeys.versions(id) }),
    qc.invalidateQueries({ queryKey: [...datasetKeys.all, 'project'] }),
    qc.invalidateQueries({ queryKey: cleaningKeys.dataset(id) }),
  ]);
}
