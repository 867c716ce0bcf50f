import { useSuggestions } from '../../api/cleaning/useSuggestions';
import type { CleanSuggestion } from '../../api/types';
import { Badge, Button, EmptyState, ErrorState, LoadingState } from '../../ui';
import { formatInteger } from '../datasets/format.utils';
import { describeOperation, isOperationType, operationLabel } from './operations.utils';

interface Props {
  datasetId: string;
  canWrite: boolean;
  /** The suggestion whose preview is showing or loading. */
  activeId: string | null;
  previewBusy: boolean;
  onPreview: (s: CleanSuggestion) => void;
  onAdd: (s: CleanSuggestion) => void;
}

function gainText(gain: number): string {
  if (!Number.isFinite(gain)) return '';
  return `${gain >= 0 ? '+' : '−'}${Math.abs(gain).toFixed(1)} quality`;
}

/** Suggested operations for the head version: preview one, or add it to the recipe. */
export function SuggestionsPanel({
  datasetId,
  canWrite,
  activeId,
  previewBusy,
  onPreview,
  onAdd,
}: Props) {
  const suggestions = useSuggestions(datasetId);
  return (
    <section
      className="panel clean__panel"
      aria-labelledby="suggestions-title"
      aria-busy={suggestions.isFetching || undefined}
    >
      <h2 className="panel__title" id="suggestions-title">
        Suggestions
        {suggestions.data && <span className="muted"> · {suggestions.data.items.length}</span>}
      </h2>
      {suggestions.isPending ? (
        <LoadingState label="Looking for problems…" />
      ) : suggestions.isError ? (
        <ErrorState
          error={suggestions.error}
          title="Could not load suggestions"
          onRetry={() => void suggestions.refetch()}
        />
      ) : suggestions.data.items.length === 0 ? (
        <EmptyState title="Nothing to suggest" icon="✓">
          No obvious problems in this version. Build a recipe to clean it your way.
        </EmptyState>
      ) : (
        <ul className="suggestions">
          {suggestions.data.items.map((s) => {
            const summary = describeOperation(s.operation);
            return (
              <li
                key={s.id}
                className={`suggestion${activeId === s.id ? ' suggestion--active' : ''}`}
                data-testid="suggestion"
              >
                <div className="suggestion__head">
                  <span className="suggestion__type">{operationLabel(s.operation.type)}</span>
                  {s.safe ? (
                    <Badge
                      tone="good"
                      title="Changes values only in a reversible, conservative way"
                    >
                      Safe
                    </Badge>
                  ) : (
                    <Badge
                      tone="warn"
                      title="Removes rows or changes many values: preview it first"
                    >
                      Review
                    </Badge>
                  )}
                </div>
                <p className="suggestion__summary">{summary}</p>
                <p className="suggestion__rationale">{s.rationale}</p>
                <p className="suggestion__meta">
                  <span>{formatInteger(s.affected_rows)} rows affected</span>
                  {Number.isFinite(s.expected_quality_gain) && (
                    <>
                      <span aria-hidden="true">·</span>
                      <span>{gainText(s.expected_quality_gain)}</span>
                    </>
                  )}
                </p>
                {canWrite && (
                  <div className="suggestion__actions">
                    <Button
                      size="sm"
                      variant="primary"
                      aria-label={`Preview: ${summary}`}
                      busy={previewBusy && activeId === s.id}
                      onClick={() => onPreview(s)}
                    >
                      Preview
                    </Button>
                    <Button
                      size="sm"
                      aria-label={`Add to recipe: ${summary}`}
                      disabled={!isOperationType(s.operation.type)}
                      onClick={() => onAdd(s)}
                    >
                      Add to recipe
                    </Button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
