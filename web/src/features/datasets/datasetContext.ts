import { useOutletContext } from 'react-router';
import type { Dataset } from '../../api/types';

/** What the dataset screen hands its tabs (Data, Profile, SQL, Clean). */
export interface DatasetOutletContext {
  dataset: Dataset;
}

export function useDatasetContext(): DatasetOutletContext {
  return useOutletContext<DatasetOutletContext>();
}
