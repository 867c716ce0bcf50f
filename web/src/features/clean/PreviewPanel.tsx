import { useId, useState } from 'react';
import type { CleanPreview } from '../../api/types';
import { Button, EmptyState, InlineError, LoadingState, ProgressBar } from '../../ui';
import { formatInteger } from '../datasets/format.utils';
import { DiffGrid } from './DiffGrid';
import { formatQualityDelta, formatScore } from './diff.utils';
import type { JobOutcome } from './job.utils';
import { operationLabel } from './operations.utils';

export interface PreviewRequestInfo {
  source: 'recipe' | 'suggestion';
  /** What was previewed, for the heading. */
  label: string;
}

interface Props {
  request: PreviewRequestInfo | null;
  preview: CleanPreview | undefined;
  pending: boolean;
  error: unknown;
  /** Why the preview can no longer be applied (the recipe or the head changed), or null. */
  staleReason: string | null;
  onApply: (message: string) => void;
  applyBusy: boolean;
  applyError: unknown;
  /** The clean job started by Apply; its result names the new head. */
  job: JobOutcome;
}

/** What the operations would do, measured on the full data, and the Apply step. */
export function PreviewPanel({
  request,
  preview,
  pending,
  error,
  staleReason,
  onApply,
  applyBusy,
  applyError,
  job,
}: Props) {
  const [message, setMessage] = useState('');
  const messageId = useId();
  const running = job.state === 'running';

  return (
    <section className="panel clean__panel clean__preview" aria-labelledby="preview-title">
      <h2 className="panel__title" id="preview-title">
        Preview
        {request && <span className="muted"> · {request.label}</span>}
      </h2>
      <div aria-live="polite">
        {job.state === 'succeeded' && (
          <p className="alert alert--good" role="status" data-testid="apply-done">
            {job.version != null
              ? `Done: version ${job.version} is now the head.`
              : 'Done: the dataset has a new version.'}
          </p>
        )}
        {job.state === 'failed' && (
          <div className="alert alert--error" role="alert">
            The cleaning job failed: {job.error}
          </div>
        )}
      </div>
      {pending ? (
        <LoadingState label="Previewing on the full data…" />
      ) : error ? (
        <InlineError error={error} />
      ) : !preview ? (
        job.state !== 'succeeded' && (
          <EmptyState title="Nothing previewed yet" icon="⇄">
            Preview a suggestion or your recipe: nothing changes until you apply it.
          </EmptyState>
        )
      ) : (
        <>
          <dl className="preview__facts" data-testid="preview-facts">
            <div>
              <dt>Affected rows</dt>
              <dd data-testid="preview-affected">{formatInteger(preview.affected_rows)}</dd>
            </div>
            <div>
              <dt>Rows</dt>
              <dd>
                {formatInteger(preview.row_count_before)} → {formatInteger(preview.row_count_after)}
              </dd>
            </div>
            <div>
              <dt>Quality</dt>
              <dd>
                {formatScore(preview.quality_before)} → {formatScore(preview.quality_after)}{' '}
                <span
                  className={
                    (preview.quality_after ?? 0) >= (preview.quality_before ?? 0)
                      ? 'delta delta--up'
                      : 'delta delta--down'
                  }
                >
                  {formatQualityDelta(preview.quality_before, preview.quality_after)}
                </span>
              </dd>
            </div>
          </dl>
          {preview.operations && preview.operations.length > 1 && (
            <table className="table preview__ops">
              <caption className="visually-hidden">Rows per step</caption>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col" className="num">
                    Rows before
                  </th>
                  <th scope="col" className="num">
                    Rows after
                  </th>
                  <th scope="col" className="num">
                    Affected
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.operations.map((op, i) => (
                  <tr key={i}>
                    <td>
                      {i + 1}. {operationLabel(op.type)}
                    </td>
                    <td className="num">{formatInteger(op.rows_before)}</td>
                    <td className="num">{formatInteger(op.rows_after)}</td>
                    <td className="num">{formatInteger(op.affected_rows)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <DiffGrid preview={preview} />
          <form
            className="apply"
            onSubmit={(e) => {
              e.preventDefault();
              if (!staleReason && !running) onApply(message.trim());
            }}
          >
            {staleReason && (
              <p className="alert alert--warn" role="status">
                {staleReason}
              </p>
            )}
            <InlineError error={applyError} />
            <div className="apply__row">
              <div className="field apply__message">
                <label className="field__label" htmlFor={messageId}>
                  Message <span className="muted">(optional)</span>
                </label>
                <input
                  id={messageId}
                  className="input"
                  value={message}
                  maxLength={1000}
                  placeholder="What this cleaning does"
                  onChange={(e) => setMessage(e.target.value)}
                />
              </div>
              <Button
                type="submit"
                variant="primary"
                busy={applyBusy || running}
                disabled={staleReason != null}
              >
                Apply as new version
              </Button>
            </div>
            {running && (
              <div className="apply__progress">
                <ProgressBar
                  value={job.progress ?? 0}
                  indeterminate={job.progress == null}
                  label="Cleaning progress"
                />
                <span className="muted">{job.message ?? 'Waiting for a worker…'}</span>
              </div>
            )}
          </form>
        </>
      )}
    </section>
  );
}
