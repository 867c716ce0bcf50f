import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDeleteDataset } from '../../api/datasets/useDeleteDataset';
import { useMe } from '../../api/auth/useMe';
import { useProjectDatasets } from '../../api/datasets/useProjectDatasets';
import { useProjectFiles } from '../../api/files/useProjectFiles';
import { useProject } from '../../api/projects/useProject';
import type { Dataset, FileRecord } from '../../api/types';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  InlineError,
  ErrorState,
  LoadingState,
  useDocumentTitle,
} from '../../ui';
import { canWriteData } from '../auth/permissions.utils';
import { formatBytes, formatDateTime, formatInteger } from '../datasets/format.utils';
import { scoreTone } from '../profile/profile.utils';
import { UploadList } from '../upload/UploadList';
import { UploadZone } from '../upload/UploadZone';

const FILE_TONE: Record<FileRecord['status'], 'neutral' | 'accent' | 'good' | 'bad'> = {
  uploaded: 'neutral',
  processing: 'accent',
  ready: 'good',
  error: 'bad',
};

export function ProjectPage() {
  const { projectId = '' } = useParams();
  const me = useMe();
  const project = useProject(projectId);
  const datasets = useProjectDatasets(projectId);
  const files = useProjectFiles(projectId);
  const canWrite = canWriteData(me.data);
  const canUpload = canWrite && project.data?.status !== 'archived';
  const remove = useDeleteDataset();
  const [deleting, setDeleting] = useState<Dataset | null>(null);
  useDocumentTitle(project.data?.name);

  if (project.isPending) return <LoadingState label="Loading project…" />;
  if (project.isError)
    return (
      <div className="page">
        <ErrorState
          error={project.error}
          title="Could not open this project"
          onRetry={() => void project.refetch()}
        />
      </div>
    );

  const p = project.data;
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/projects">Projects</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{p.name}</span>
      </nav>
      <header className="page__header">
        <div>
          <h1 className="page__title">
            {p.name} {p.status === 'archived' && <Badge>Archived</Badge>}
          </h1>
          {p.description && <p className="page__subtitle">{p.description}</p>}
        </div>
      </header>

      {canUpload && <UploadZone projectId={projectId} />}
      <UploadList projectId={projectId} />

      <section className="panel" aria-labelledby="datasets-title">
        <div className="panel__head">
          <h2 className="panel__title" id="datasets-title">
            Datasets
          </h2>
          {datasets.data && <span className="muted">{datasets.data.items.length} total</span>}
        </div>
        {datasets.isPending && <LoadingState label="Loading datasets…" />}
        {datasets.isError && (
          <ErrorState
            error={datasets.error}
            title="Could not load datasets"
            onRetry={() => void datasets.refetch()}
          />
        )}
        {datasets.data && datasets.data.items.length === 0 && (
          <EmptyState title="No datasets yet" icon="▤">
            {canUpload
              ? 'Upload a file above: each table found in it becomes a dataset.'
              : 'Datasets appear here once someone uploads files.'}
          </EmptyState>
        )}
        {datasets.data && datasets.data.items.length > 0 && (
          <table className="table" aria-label="Datasets">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col" className="num">
                  Columns
                </th>
                <th scope="col" className="num">
                  Quality
                </th>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                {canWrite && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {datasets.data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/datasets/${d.id}`} className="table__primary">
                      {d.name}
                    </Link>
                  </td>
                  <td className="num">{formatInteger(d.row_count)}</td>
                  <td className="num">{formatInteger(d.column_count)}</td>
                  <td className="num">
                    {d.quality_score != null ? (
                      <Badge tone={toneFor(d.quality_score)}>{Math.round(d.quality_score)}</Badge>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>v{d.version}</td>
                  <td>{formatDateTime(d.created_at)}</td>
                  {canWrite && (
                    <td className="table__actions">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => {
                          remove.reset();
                          setDeleting(d);
                        }}
                        aria-label={`Delete ${d.name}`}
                      >
                        Delete
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <Dialog open={deleting != null} title="Delete dataset" onClose={() => setDeleting(null)}>
        {deleting && (
          <div className="form">
            <InlineError error={remove.error} />
            <p>
              Delete <strong>{deleting.name}</strong> and all its versions? This cannot be undone.
            </p>
            <div className="form__actions">
              <Button onClick={() => setDeleting(null)}>Cancel</Button>
              <Button
                variant="danger"
                busy={remove.isPending}
                onClick={() => remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
              >
                Delete dataset
              </Button>
            </div>
          </div>
        )}
      </Dialog>

      {files.data && files.data.length > 0 && (
        <section className="panel" aria-labelledby="files-title">
          <h2 className="panel__title" id="files-title">
            Files
          </h2>
          <table className="table" aria-label="Files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Format</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {files.data.map((f) => (
                <tr key={f.id}>
                  <td>{f.original_filename}</td>
                  <td>{f.detected_format ?? '—'}</td>
                  <td className="num">{formatBytes(f.size_bytes)}</td>
                  <td>
                    <Badge tone={FILE_TONE[f.status] ?? 'neutral'}>{f.status}</Badge>
                    {f.status === 'error' && f.error_message && (
                      <span className="table__error"> {f.error_message}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

function toneFor(score: number): 'good' | 'warn' | 'bad' {
  const t = scoreTone(score);
  return t === 'good' ? 'good' : t === 'fair' ? 'warn' : 'bad';
}
