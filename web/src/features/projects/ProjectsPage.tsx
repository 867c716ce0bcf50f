import { useState } from 'react';
import { Link } from 'react-router';
import { useMe } from '../../api/auth/useMe';
import { useProjects } from '../../api/projects/useProjects';
import { useUpdateProject } from '../../api/projects/useUpdateProject';
import type { Project } from '../../api/types';
import {
  Badge,
  Button,
  EmptyState,
  ErrorState,
  InlineError,
  LoadingState,
  useDocumentTitle,
} from '../../ui';
import { canWriteProjects } from '../auth/permissions.utils';
import { formatDateTime } from '../datasets/format.utils';
import { ProjectFormDialog } from './ProjectFormDialog';
import { visibleProjects } from './projects.utils';

export function ProjectsPage() {
  const me = useMe();
  const projects = useProjects();
  const update = useUpdateProject();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Project | null>(null);
  const [filter, setFilter] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const canWrite = canWriteProjects(me.data);
  useDocumentTitle('Projects');

  const items = projects.data ? visibleProjects(projects.data.items, showArchived, filter) : [];
  const archivedCount = projects.data?.items.filter((p) => p.status === 'archived').length ?? 0;

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Projects</h1>
          <p className="page__subtitle">
            Each project groups the files you upload and the datasets made from them.
          </p>
        </div>
        {canWrite && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New project
          </Button>
        )}
      </header>

      {projects.isPending && <LoadingState label="Loading projects…" />}
      {projects.isError && (
        <ErrorState
          error={projects.error}
          title="Could not load projects"
          onRetry={() => void projects.refetch()}
        />
      )}

      {projects.data && projects.data.items.length === 0 && (
        <EmptyState
          title="No projects yet"
          icon="▦"
          action={
            canWrite ? (
              <Button variant="primary" onClick={() => setCreating(true)}>
                Create your first project
              </Button>
            ) : undefined
          }
        >
          {canWrite
            ? 'Create a project, then drop your CSV or Excel files into it.'
            : 'Nobody has shared a project with this organization yet. You have read-only access.'}
        </EmptyState>
      )}

      {projects.data && projects.data.items.length > 0 && (
        <>
          <div className="toolbar">
            <input
              className="input toolbar__search"
              type="search"
              placeholder="Filter projects"
              aria-label="Filter projects"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            {archivedCount > 0 && (
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={showArchived}
                  onChange={(e) => setShowArchived(e.target.checked)}
                />
                Show archived ({archivedCount})
              </label>
            )}
          </div>
          <InlineError error={update.error} />
          {items.length === 0 ? (
            <EmptyState title="No matching projects">Try another filter.</EmptyState>
          ) : (
            <ul className="card-grid" aria-label="Projects">
              {items.map((p) => (
                <li
                  key={p.id}
                  className={`card project-card${p.status === 'archived' ? ' project-card--archived' : ''}`}
                >
                  <div className="project-card__head">
                    <h2 className="project-card__name">
                      <Link to={`/projects/${p.id}`}>{p.name}</Link>
                    </h2>
                    {p.status === 'archived' && <Badge>Archived</Badge>}
                  </div>
                  {p.description && <p className="project-card__desc">{p.description}</p>}
                  <p className="project-card__meta">Updated {formatDateTime(p.updated_at)}</p>
                  {canWrite && (
                    <div className="project-card__actions">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setRenaming(p)}
                        aria-label={`Rename ${p.name}`}
                      >
                        Rename
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`${p.status === 'archived' ? 'Restore' : 'Archive'} ${p.name}`}
                        busy={update.isPending && update.variables?.id === p.id}
                        onClick={() =>
                          update.mutate({
                            id: p.id,
                            input: { status: p.status === 'archived' ? 'active' : 'archived' },
                          })
                        }
                      >
                        {p.status === 'archived' ? 'Restore' : 'Archive'}
                      </Button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      <ProjectFormDialog open={creating} onClose={() => setCreating(false)} />
      <ProjectFormDialog
        open={renaming != null}
        project={renaming}
        onClose={() => setRenaming(null)}
      />
    </div>
  );
}
