import { useEffect, useId, useRef, useState } from 'react';
import { Badge, Button } from '../../ui';
import {
  describeOperation,
  hasErrors,
  newDraft,
  OPERATION_GROUPS,
  OPERATION_SPECS,
  OPERATION_TYPES,
  visibleFields,
  withFieldValue,
  type FieldErrors,
  type OperationDraft,
  type OperationType,
} from './operations.utils';
import { OperationFields } from './OperationFields';
import { moveItem, type RecipeState } from './recipe.utils';
import type { SimSchema } from './schema.utils';

/** A server validation error placed on a step of the recipe. */
export interface StepError {
  index: number;
  field: string | null;
  message: string;
}

interface BuilderProps {
  drafts: OperationDraft[];
  onDraftsChange: (drafts: OperationDraft[]) => void;
  recipe: RecipeState;
  /** Show client-side problems (after a first preview attempt). */
  showErrors: boolean;
  serverError: StepError | null;
  /** Bumped on each preview attempt: steps with problems open. */
  attempt: number;
  onPreview: () => void;
  previewBusy: boolean;
  onImport: () => void;
}

/** The pending recipe: steps to add, edit, reorder and remove, then preview. */
export function RecipeBuilder({
  drafts,
  onDraftsChange,
  recipe,
  showErrors,
  serverError,
  attempt,
  onPreview,
  previewBusy,
  onImport,
}: BuilderProps) {
  const [type, setType] = useState<OperationType>('fill_missing');
  // The person's open/closed choice per step, stamped with the preview attempt it was made
  // in: a newer attempt re-opens steps with problems.
  const [choices, setChoices] = useState<ReadonlyMap<string, { open: boolean; attempt: number }>>(
    new Map(),
  );
  const typeId = useId();
  const finalSchema = recipe.schemas[recipe.schemas.length - 1] ?? [];

  const failingKey = serverError ? drafts[serverError.index]?.key : undefined;
  const isExpanded = (d: OperationDraft, i: number) => {
    const choice = choices.get(d.key);
    const auto = d.key === failingKey || (attempt > 0 && hasErrors(recipe.errors[i] ?? {}));
    if (auto && (!choice || choice.attempt < attempt)) return true;
    return choice?.open ?? false;
  };
  const setChoice = (key: string, open: boolean) =>
    setChoices((m) => new Map(m).set(key, { open, attempt }));

  const add = () => {
    const d = newDraft(type, finalSchema);
    onDraftsChange([...drafts, d]);
    setChoice(d.key, true);
  };

  return (
    <section className="panel clean__panel" aria-labelledby="recipe-title">
      <div className="panel__head">
        <h2 className="panel__title" id="recipe-title">
          Recipe{' '}
          <span className="muted">
            · {drafts.length} step{drafts.length === 1 ? '' : 's'}
          </span>
        </h2>
        <div className="clean__tools">
          {drafts.length > 0 && (
            <Button size="sm" variant="ghost" onClick={() => onDraftsChange([])}>
              Clear
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={onImport}>
            Paste recipe
          </Button>
        </div>
      </div>
      {drafts.length === 0 ? (
        <p className="muted clean__empty">
          No steps yet. Add a suggestion, paste a recipe, or choose an operation below.
        </p>
      ) : (
        <ol className="steps" aria-label="Recipe steps">
          {drafts.map((d, i) => (
            <OperationCard
              key={d.key}
              draft={d}
              index={i}
              count={drafts.length}
              schema={recipe.schemas[i] ?? []}
              summary={describeOperation(recipe.operations[i])}
              errors={showErrors ? (recipe.errors[i] ?? {}) : {}}
              serverError={serverError?.index === i ? serverError : null}
              expanded={isExpanded(d, i)}
              onToggle={() => setChoice(d.key, !isExpanded(d, i))}
              onChange={(next) => onDraftsChange(drafts.map((x) => (x.key === d.key ? next : x)))}
              onMove={(to) => onDraftsChange(moveItem(drafts, i, to))}
              onRemove={() => onDraftsChange(drafts.filter((x) => x.key !== d.key))}
            />
          ))}
        </ol>
      )}
      <div className="steps__add">
        <label htmlFor={typeId} className="visually-hidden">
          Operation to add
        </label>
        <select
          id={typeId}
          className="input select"
          value={type}
          onChange={(e) => setType(e.target.value as OperationType)}
        >
          {OPERATION_GROUPS.map((g) => (
            <optgroup key={g} label={g}>
              {OPERATION_TYPES.filter((t) => OPERATION_SPECS[t].group === g).map((t) => (
                <option key={t} value={t}>
                  {OPERATION_SPECS[t].label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <Button onClick={add}>Add step</Button>
      </div>
      <p className="muted steps__desc">{OPERATION_SPECS[type].description}</p>
      <div className="clean__actions">
        {showErrors && !recipe.valid && drafts.length > 0 && (
          <span className="field__error" role="alert">
            Fix the highlighted steps first.
          </span>
        )}
        <Button
          variant="primary"
          onClick={onPreview}
          busy={previewBusy}
          disabled={drafts.length === 0}
        >
          Preview recipe
        </Button>
      </div>
    </section>
  );
}

interface CardProps {
  draft: OperationDraft;
  index: number;
  count: number;
  schema: SimSchema;
  summary: string;
  errors: FieldErrors;
  serverError: StepError | null;
  expanded: boolean;
  onToggle: () => void;
  onChange: (draft: OperationDraft) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

function OperationCard({
  draft,
  index,
  count,
  schema,
  summary,
  errors,
  serverError,
  expanded,
  onToggle,
  onChange,
  onMove,
  onRemove,
}: CardProps) {
  const spec = OPERATION_SPECS[draft.type];
  const bodyId = useId();
  const ref = useRef<HTMLLIElement>(null);
  const n = index + 1;

  // A server error on a field shows under that field; on anything else, on the card.
  const fieldNames = new Set(visibleFields(draft).map((f) => f.name));
  const serverOnField =
    serverError?.field && fieldNames.has(serverError.field) ? serverError.field : null;
  const shownErrors: FieldErrors = { ...errors };
  if (serverError && serverOnField) shownErrors[serverOnField] = serverError.message;
  const invalid = hasErrors(errors) || serverError != null;

  useEffect(() => {
    if (!serverError || !expanded) return;
    const target =
      (serverOnField &&
        ref.current?.querySelector<HTMLElement>(
          `[data-field="${serverOnField}"] input, [data-field="${serverOnField}"] textarea, input[data-field="${serverOnField}"], select[data-field="${serverOnField}"]`,
        )) ||
      ref.current?.querySelector<HTMLElement>('.step__toggle');
    target?.focus();
  }, [serverError, serverOnField, expanded]);

  return (
    <li
      ref={ref}
      className={`step${invalid ? ' step--invalid' : ''}`}
      data-testid="recipe-step"
      aria-invalid={invalid || undefined}
    >
      <div className="step__head">
        <span className="step__index" aria-hidden="true">
          {n}
        </span>
        <button
          type="button"
          className="step__toggle"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={onToggle}
        >
          <span className="step__type">{spec.label}</span>
          <span className="step__summary">{summary}</span>
        </button>
        {invalid && <Badge tone="bad">Fix</Badge>}
        <div className="step__actions">
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            aria-label={`Move step ${n} up`}
            disabled={index === 0}
            onClick={() => onMove(index - 1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            aria-label={`Move step ${n} down`}
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            aria-label={`Remove step ${n}`}
            onClick={onRemove}
          >
            ×
          </button>
        </div>
      </div>
      {serverError && !serverOnField && (
        <p className="step__error" role="alert">
          {serverError.message}
        </p>
      )}
      {errors._ && <p className="step__error">{errors._}</p>}
      <div id={bodyId} hidden={!expanded} className="step__body">
        {expanded && (
          <OperationFields
            draft={draft}
            schema={schema}
            errors={shownErrors}
            onChange={(name, value) => onChange(withFieldValue(draft, name, value))}
          />
        )}
        {Object.keys(draft.extra).length > 0 && (
          <p className="field__hint">
            Also sends: <code>{JSON.stringify(draft.extra)}</code>
          </p>
        )}
      </div>
    </li>
  );
}
