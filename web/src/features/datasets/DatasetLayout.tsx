import { useState } from 'react';
import { Link, NavLink, Outlet, useParams } from 'react-router';
import { useDataset } from '../../api/datasets/useDataset';
import { useProject } from '../../api/projects/useProject';
import type { DatasetOutletContext } from './datasetContext';
import {
  Badge,
  ErrorState,
  InlineError,
  LoadingState,
  useDocumentTitle,
  usePainted,
} from '../../ui';
import { scoreTone } from '../profile/profile.utils';
import { ExportMenu } from './ExportMenu';
import { formatInteger } from './format.utils';

export function DatasetLayout() {
  const { datasetId = '' } = useParams();
  const dataset = useDataset(datasetId);
  // The breadcrumb's project name is asked for once the first frame is drawn (usePainted).
  const painted = usePainted();
  const project = useProject(dataset.data?.project_id ?? '', painted);
  const [exportError, setExportError] = useState<unknown>(null);
  useDocumentTitle(dataset.data?.name);

  if (dataset.isPending) return <LoadingState label="Loading dataset…" />;
  if (dataset.isError)
    return (
      <div className="page">
        <ErrorState
          error={dataset.error}
          title="Could not open this dataset"
          onRetry={() => void dataset.refetch()}
        />
      </div>
    );

  const d = dataset.data;
  const tone = d.quality_score == null ? null : scoreTone(d.quality_score);
  return (
    <div className="page page--wide dataset">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/projects">Projects</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={`/projects/${d.project_id}`}>{project.data?.name ?? 'Project'}</Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{d.name}</span>
      </nav>
      <header className="page__header page__header--tight">
        <div>
          <h1 className="page__title">{d.name}</h1>
          <p className="dataset__stats">
            <span data-testid="row-count">{formatInteger(d.row_count)} rows</span>
            <span aria-hidden="true">·</span>
            <span>{formatInteger(d.column_count)} columns</span>
            <span aria-hidden="true">·</span>
            <Badge tone="accent" title="Dataset version">
              v{d.version}
            </Badge>
            {d.quality_score != null && (
              <Badge
                tone={tone === 'good' ? 'good' : tone === 'fair' ? 'warn' : 'bad'}
                title="Quality score"
              >
                Quality {Math.round(d.quality_score)}
              </Badge>
            )}
          </p>
        </div>
        <ExportMenu datasetId={d.id} onError={setExportError} />
      </header>
      <InlineError error={exportError} />
      <nav className="tabs" aria-label="Dataset views">
        <NavLink end to={`/datasets/${d.id}`} className="tabs__tab">
          Data
        </NavLink>
        <NavLink to={`/datasets/${d.id}/profile`} className="tabs__tab">
          Profile
        </NavLink>
        <NavLink to={`/datasets/${d.id}/sql`} className="tabs__tab">
          SQL
        </NavLink>
        <NavLink to={`/datasets/${d.id}/clean`} className="tabs__tab">
          Clean
        </NavLink>
      </nav>
      <div className="dataset__body">
        <Outlet context={{ dataset: d } satisfies DatasetOutletContext} />
      </div>
    </div>
  );
}
