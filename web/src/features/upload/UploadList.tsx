import { useEffect } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { datasetKeys } from '../../api/datasets/keys';
import { fileKeys } from '../../api/files/keys';
import { useFile } from '../../api/files/useFile';
import { useJob } from '../../api/jobs/useJob';
import { Badge, Button, ProgressBar } from '../../ui';
import { formatBytes } from '../datasets/format.utils';
import { isTerminal, phaseLabel, uploadPercent, type UploadEntry } from './upload.utils';
import {
  canRetryUpload,
  retryUpload,
  cancelUpload,
  dismissUpload,
  dispatchUpload,
  pauseUpload,
  resumeUpload,
  useUploadEntries,
} from './uploadStore';
import { nextProcessingAction } from './follow.utils';

export function UploadList({ projectId }: { projectId: string }) {
  const entries = useUploadEntries(projectId);
  if (entries.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="uploads-title">
      <h2 className="panel__title" id="uploads-title">
        Uploads
      </h2>
      <ul className="upload-list">
        {entries.map((e) => (
          <UploadRow key={e.key} entry={e} />
        ))}
      </ul>
    </section>
  );
}

function UploadRow({ entry }: { entry: UploadEntry }) {
  const qc = useQueryClient();
  const following = entry.phase === 'processing';
  const job = useJob(following ? entry.jobId : null);
  const file = useFile(following ? entry.fileId : null);

  useEffect(() => {
    if (!following) return;
    const action = nextProcessingAction(entry, file.data, job.data);
    if (!action) return;
    if (action.type === 'refetch-file') {
      void qc.invalidateQueries({ queryKey: fileKeys.detail(entry.fileId ?? '') });
      return;
    }
    dispatchUpload(
      action.type === 'failed'
        ? { type: 'failed', key: entry.key, error: action.error }
        : { type: 'processed', key: entry.key, datasetIds: action.datasetIds },
    );
    void qc.invalidateQueries({ queryKey: datasetKeys.byProject(entry.projectId) });
    void qc.invalidateQueries({ queryKey: fileKeys.byProject(entry.projectId) });
  }, [following, entry, file.data, job.data, qc]);

  const pct = uploadPercent(entry);
  const jobProgress = job.data?.progress;
  const tone =
    entry.phase === 'error'
      ? 'bad'
      : entry.phase === 'done'
        ? 'good'
        : entry.phase === 'canceled'
          ? 'neutral'
          : 'accent';

  return (
    <li
      className={`upload upload--${entry.phase}`}
      data-testid="upload-row"
      data-phase={entry.phase}
    >
      <div className="upload__main">
        <div className="upload__name" title={entry.name}>
          {entry.name}
        </div>
        <div className="upload__meta">
          <span>{formatBytes(entry.size)}</span>
          <Badge tone={tone}>{phaseLabel(entry)}</Badge>
          {following && job.data?.message && <span className="muted">{job.data.message}</span>}
        </div>
        {!isTerminal(entry.phase) && (
          <ProgressBar
            value={following && jobProgress != null ? jobProgress : pct}
            indeterminate={following && jobProgress == null}
            label={`${entry.name}: ${phaseLabel(entry)}`}
          />
        )}
        {entry.error && (
          <p className="upload__error" role="alert">
            {entry.error}
          </p>
        )}
        {entry.phase === 'done' && entry.datasetIds.length > 0 && (
          <p className="upload__result">
            {entry.datasetIds.map((id, i) => (
              <Link key={id} to={`/datasets/${id}`}>
                Open dataset{entry.datasetIds.length > 1 ? ` ${i + 1}` : ''}
              </Link>
            ))}
          </p>
        )}
      </div>
      <div className="upload__actions">
        {entry.phase === 'uploading' && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => pauseUpload(entry.key)}
            aria-label={`Pause ${entry.name}`}
          >
            Pause
          </Button>
        )}
        {entry.phase === 'paused' && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => resumeUpload(entry.key)}
            aria-label={`Resume ${entry.name}`}
          >
            Resume
          </Button>
        )}
        {(entry.phase === 'uploading' || entry.phase === 'paused' || entry.phase === 'queued') && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => cancelUpload(entry.key)}
            aria-label={`Cancel ${entry.name}`}
          >
            Cancel
          </Button>
        )}
        {(entry.phase === 'error' || entry.phase === 'canceled') && canRetryUpload(entry.key) && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => retryUpload(entry.key)}
            aria-label={`Retry ${entry.name}`}
          >
            Retry
          </Button>
        )}
        {isTerminal(entry.phase) && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => dismissUpload(entry.key)}
            aria-label={`Dismiss ${entry.name}`}
          >
            Dismiss
          </Button>
        )}
      </div>
    </li>
  );
}
