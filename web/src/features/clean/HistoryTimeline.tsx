import { useMemo, useState, type ReactNode } from 'react';
import { useHistory } from '../../api/cleaning/useHistory';
import { useRestoreVersion } from '../../api/cleaning/useRestoreVersion';
import { useVersions } from '../../api/datasets/useVersions';
import { useMembers } from '../../api/members/useMembers';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  ErrorState,
  InlineError,
  LoadingState,
  ProgressBar,
} from '../../ui';
import { formatDateTime, formatInteger } from '../datasets/format.utils';
import { formatQualityDelta, formatScore } from './diff.utils';
import { describeOperation } from './operations.utils';
import {
  buildTimeline,
  personLabel,
  type TimelineEntry,
  type VersionEntry,
} from './timeline.utils';
import { useHeadJob } from './useHeadJob';

interface Props {
  datasetId: string;
  headVersion: number;
  canWrite: boolean;
  meId: string | null;
  /** Extra controls for the panel header (Copy recipe). */
  tools?: ReactNode;
}

/** Versions and the steps between them, newest first, with Restore on earlier versions. */
export function HistoryTimeline({ datasetId, headVersion, canWrite, meId, tools }: Props) {
  const versions = useVersions(datasetId);
  const history = useHistory(datasetId);
  const members = useMembers();
  const restore = useRestoreVersion(datasetId);
  const [confirm, setConfirm] = useState<VersionEntry | null>(null);
  const [restored, setRestored] = useState<number | null>(null);
  const job = useHeadJob(datasetId, (v) => setRestored(v));

  const names = useMemo(() => {
    const m = new Map<string, string>();
    members.data?.items.forEach((x) => m.set(x.user_id, x.full_name || x.email));
    return m;
  }, [members.data]);

  const head = history.data?.head_version ?? headVersion;
  const entries = useMemo(
    () => buildTimeline(versions.data?.items ?? [], history.data?.items ?? [], head),
    [versions.data, history.data, head],
  );
  const who = (id: string | null) => personLabel(id, meId, names);
  const running = job.outcome.state === 'running';

  const startRestore = (v: VersionEntry) => {
    setRestored(null);
    restore.mutate(v.version, {
      onSuccess: ({ job: j }) => {
        setConfirm(null);
        job.start(j.id);
      },
    });
  };

  return (
    <section className="panel clean__panel" aria-labelledby="history-title">
      <div className="panel__head">
        <h2 className="panel__title" id="history-title">
          History
        </h2>
        {tools}
      </div>
      <div aria-live="polite">
        {running && (
          <div className="apply__progress">
            <ProgressBar
              value={job.outcome.state === 'running' ? (job.outcome.progress ?? 0) : 0}
              indeterminate={job.outcome.state === 'running' && job.outcome.progress == null}
              label="Restore progress"
            />
            <span className="muted">Restoring…</span>
          </div>
        )}
        {job.outcome.state === 'succeeded' && restored != null && (
          <p className="alert alert--good" role="status" data-testid="restore-done">
            Restored: version {restored} is the head again.
          </p>
        )}
        {job.outcome.state === 'failed' && (
          <div className="alert alert--error" role="alert">
            The restore failed: {job.outcome.error}
          </div>
        )}
      </div>
      {versions.isPending || history.isPending ? (
        <LoadingState label="Loading history…" />
      ) : versions.isError || history.isError ? (
        <ErrorState
          error={versions.error ?? history.error}
          title="Could not load the history"
          onRetry={() => {
            void versions.refetch();
            void history.refetch();
          }}
        />
      ) : entries.length === 0 ? (
        <EmptyState title="No history yet" />
      ) : (
        <ol className="timeline" aria-label="Versions and cleaning steps, newest first">
          {entries.map((e) => (
            <TimelineItem
              key={e.key}
              entry={e}
              who={who}
              canRestore={canWrite && e.kind === 'version' && !e.isHead && !running}
              onRestore={() => {
                if (e.kind === 'version') {
                  restore.reset();
                  setConfirm(e);
                }
              }}
            />
          ))}
        </ol>
      )}
      <Dialog
        open={confirm != null}
        title={confirm ? `Restore version ${confirm.version}?` : 'Restore'}
        onClose={() => setConfirm(null)}
      >
        {confirm && (
          <div className="form">
            <p>
              Version {confirm.version} ({formatInteger(confirm.rowCount)} rows, quality{' '}
              {formatScore(confirm.quality)}) becomes the head. Version {head} and the whole history
              are kept, so you can come back to it.
            </p>
            <InlineError error={restore.error} />
            <div className="form__actions">
              <Button variant="ghost" onClick={() => setConfirm(null)}>
                Cancel
              </Button>
              <Button
                variant="primary"
                busy={restore.isPending}
                onClick={() => startRestore(confirm)}
              >
                Restore version {confirm.version}
              </Button>
            </div>
          </div>
        )}
      </Dialog>
    </section>
  );
}

function TimelineItem({
  entry,
  who,
  canRestore,
  onRestore,
}: {
  entry: TimelineEntry;
  who: (id: string | null) => string;
  canRestore: boolean;
  onRestore: () => void;
}) {
  if (entry.kind === 'restore') {
    return (
      <li className="timeline__item timeline__item--restore" data-testid="timeline-restore">
        <div className="timeline__head">
          <span className="timeline__title">
            Restored version {entry.version}
            {entry.from != null && <span className="muted"> (head was v{entry.from})</span>}
          </span>
          <span className="muted timeline__when">
            {who(entry.createdBy)} · {formatDateTime(entry.createdAt)}
          </span>
        </div>
        <p className="timeline__meta">
          Rows {formatInteger(entry.rowsBefore)} → {formatInteger(entry.rowsAfter)} · Quality{' '}
          {formatScore(entry.qualityBefore)} → {formatScore(entry.qualityAfter)}
        </p>
      </li>
    );
  }
  const ops = entry.steps.length > 0 ? null : entry.operations;
  return (
    <li
      className={`timeline__item${entry.isHead ? ' timeline__item--head' : ''}`}
      data-testid="timeline-version"
      data-version={entry.version}
      aria-current={entry.isHead ? 'true' : undefined}
    >
      <div className="timeline__head">
        <span className="timeline__title">
          Version {entry.version}
          {entry.isHead && (
            <Badge tone="accent" title="The version everyone sees">
              Head
            </Badge>
          )}
          <span className="muted">
            {entry.parentVersion == null
              ? ' · uploaded'
              : ` · cleaned from v${entry.parentVersion}`}
          </span>
        </span>
        <span className="muted timeline__when">
          {who(entry.createdBy)} · {formatDateTime(entry.createdAt)}
        </span>
        {canRestore && (
          <Button size="sm" onClick={onRestore} aria-label={`Restore version ${entry.version}`}>
            Restore
          </Button>
        )}
      </div>
      <p className="timeline__meta">
        {formatInteger(entry.rowCount)} rows · {formatInteger(entry.columnCount)} columns · Quality{' '}
        {entry.qualityBefore != null ? (
          <>
            {formatScore(entry.qualityBefore)} → {formatScore(entry.quality)}{' '}
            <span className="muted">
              ({formatQualityDelta(entry.qualityBefore, entry.quality)})
            </span>
          </>
        ) : (
          formatScore(entry.quality)
        )}
      </p>
      {entry.message && <p className="timeline__message">“{entry.message}”</p>}
      {entry.steps.length > 0 && (
        <ol className="timeline__steps">
          {entry.steps.map((s) => (
            <li key={s.id}>
              <span>{describeOperation(s.operation)}</span>
              <span className="muted">
                {' '}
                · rows {formatInteger(s.rows_before)} → {formatInteger(s.rows_after)}
                {s.affected_rows != null && `, ${formatInteger(s.affected_rows)} affected`}
              </span>
            </li>
          ))}
        </ol>
      )}
      {ops && ops.length > 0 && (
        <ol className="timeline__steps">
          {ops.map((op, i) => (
            <li key={i}>{describeOperation(op)}</li>
          ))}
        </ol>
      )}
    </li>
  );
}
