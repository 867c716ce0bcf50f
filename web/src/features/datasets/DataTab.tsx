import { useCallback, useMemo, useState } from 'react';
import { useProfile } from '../../api/datasets/useProfile';
import type { ColumnProfile } from '../../api/types';
import { EmptyState } from '../../ui';
import { DataGrid } from './DataGrid';
import { useDatasetContext } from './datasetContext';

export function DataTab() {
  const { dataset } = useDatasetContext();
  // Header statistics are a bonus: the grid renders without waiting for (or failing on) the
  // profile, which is asked for once the first rows are on screen (its request, JSON and the
  // mini histograms would otherwise compete with them).
  const [rowsShown, setRowsShown] = useState(false);
  const onRowsShown = useCallback(() => setRowsShown(true), []);
  const profile = useProfile(dataset.id, rowsShown);
  const profiles = useMemo(() => {
    const m = new Map<string, ColumnProfile>();
    profile.data?.columns?.forEach((c) => m.set(c.name, c));
    return m;
  }, [profile.data]);

  if (dataset.columns.length === 0) {
    return (
      <EmptyState title="This dataset has no columns">
        The source file held no readable table.
      </EmptyState>
    );
  }
  return (
    <DataGrid
      key={`${dataset.id}:${dataset.version}`}
      dataset={dataset}
      profiles={profiles}
      onRowsShown={onRowsShown}
    />
  );
}
