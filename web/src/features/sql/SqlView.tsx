import { useId, useRef, useState } from 'react';
import { useRunQuery } from '../../api/datasets/useRunQuery';
import { Button, EmptyState, InlineError } from '../../ui';
import { useDatasetContext } from '../datasets/datasetContext';
import { ResultsGrid } from './ResultsGrid';
import { canRun, DEFAULT_SQL, isRunShortcut, resultSummary } from './sql.utils';

export default function SqlView() {
  const { dataset } = useDatasetContext();
  const run = useRunQuery(dataset.id);
  const [sql, setSql] = useState(DEFAULT_SQL);
  const [elapsed, setElapsed] = useState<number | null>(null);
  const started = useRef(0);
  const editorId = useId();

  const execute = () => {
    if (!canRun(sql) || run.isPending) return;
    started.current = performance.now();
    setElapsed(null);
    run.mutate(sql, { onSettled: () => setElapsed(performance.now() - started.current) });
  };

  return (
    <div className="sql">
      <div className="sql__editor">
        <label htmlFor={editorId} className="field__label">
          Query{' '}
          <span className="muted">
            — the dataset is the table <code>data</code>; read-only
          </span>
        </label>
        <textarea
          id={editorId}
          className="input sql__textarea"
          spellCheck={false}
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => {
            if (isRunShortcut(e)) {
              e.preventDefault();
              execute();
            }
          }}
          aria-describedby={`${editorId}-hint`}
          rows={6}
        />
        <div className="sql__bar">
          <span id={`${editorId}-hint`} className="muted">
            Press <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to run
          </span>
          <Button variant="primary" onClick={execute} busy={run.isPending} disabled={!canRun(sql)}>
            Run query
          </Button>
        </div>
      </div>
      <InlineError error={run.error} />
      {run.data && (
        <section className="sql__results" aria-label="Query results">
          <p className="sql__summary" data-testid="sql-summary" role="status">
            {resultSummary(run.data.row_count, run.data.truncated, elapsed)}
          </p>
          {run.data.columns.length === 0 ? (
            <EmptyState title="The query returned no columns" />
          ) : (
            <ResultsGrid columns={run.data.columns} rows={run.data.rows} />
          )}
        </section>
      )}
      {!run.data && !run.error && !run.isPending && (
        <EmptyState title="Run a query to see results" icon="⌘">
          Try <code>SELECT COUNT(*) FROM data</code> or a <code>GROUP BY</code> over a category
          column.
        </EmptyState>
      )}
    </div>
  );
}
