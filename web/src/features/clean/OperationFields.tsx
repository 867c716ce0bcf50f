import { useId } from 'react';
import { SelectField, TextField } from '../../ui';
import {
  columnChoices,
  visibleFields,
  type DraftValue,
  type FieldErrors,
  type FieldSpec,
  type MappingRow,
  type OperationDraft,
} from './operations.utils';
import type { SimColumn, SimSchema } from './schema.utils';

interface FieldsProps {
  draft: OperationDraft;
  /** The schema this step sees (after the steps before it). */
  schema: SimSchema;
  errors: FieldErrors;
  onChange: (name: string, value: DraftValue) => void;
}

const columnText = (c: SimColumn) => `${c.name} (${c.type === 'unknown' ? 'derived' : c.type})`;

/** The form of one operation, generated from its spec. */
export function OperationFields({ draft, schema, errors, onChange }: FieldsProps) {
  return (
    <div className="opfields">
      {visibleFields(draft).map((f) => (
        <OperationField
          key={f.name}
          field={f}
          draft={draft}
          schema={schema}
          error={errors[f.name] ?? null}
          onChange={(v) => onChange(f.name, v)}
        />
      ))}
    </div>
  );
}

interface FieldProps {
  field: FieldSpec;
  draft: OperationDraft;
  schema: SimSchema;
  error: string | null;
  onChange: (value: DraftValue) => void;
}

function OperationField({ field, draft, schema, error, onChange }: FieldProps) {
  const raw = draft.values[field.name];
  const text = typeof raw === 'string' ? raw : '';
  const id = useId();
  switch (field.kind) {
    case 'column': {
      const choices = columnChoices(field, schema, draft.values);
      const known = choices.some((c) => c.name === text);
      const hint = field.filterLabel
        ? choices.length === 0
          ? `No ${field.filterLabel} columns at this step`
          : `Showing ${field.filterLabel} columns`
        : field.hint;
      return (
        <SelectField
          label={field.label}
          hint={hint}
          error={error}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          data-field={field.name}
        >
          {!text && <option value="">Choose a column…</option>}
          {text && !known && (
            <option value={text}>
              {schema.some((c) => c.name === text) ? text : `${text} (not at this step)`}
            </option>
          )}
          {choices.map((c) => (
            <option key={c.name} value={c.name}>
              {columnText(c)}
            </option>
          ))}
        </SelectField>
      );
    }
    case 'columns': {
      const chosen = Array.isArray(raw) ? (raw as string[]) : [];
      const choices = columnChoices(field, schema, draft.values);
      const missing = chosen.filter((n) => !choices.some((c) => c.name === n));
      const toggle = (name: string, on: boolean) =>
        onChange(
          on ? [...chosen.filter((n) => n !== name), name] : chosen.filter((n) => n !== name),
        );
      return (
        <fieldset
          className={`field colpick${error ? ' field--invalid' : ''}`}
          data-field={field.name}
          aria-describedby={error ? `${id}-error` : field.hint ? `${id}-hint` : undefined}
        >
          <legend className="field__label">
            {field.label}
            {chosen.length > 0 && <span className="muted"> · {chosen.length} chosen</span>}
          </legend>
          <div className="colpick__list">
            {[
              ...choices.map((c) => ({ name: c.name, label: columnText(c) })),
              ...missing.map((n) => ({ name: n, label: `${n} (not at this step)` })),
            ].map((c) => (
              <label key={c.name} className="checkbox colpick__item">
                <input
                  type="checkbox"
                  checked={chosen.includes(c.name)}
                  onChange={(e) => toggle(c.name, e.target.checked)}
                />
                <span>{c.label}</span>
              </label>
            ))}
            {choices.length === 0 && missing.length === 0 && (
              <p className="muted">No suitable columns at this step.</p>
            )}
          </div>
          {field.name === 'columns' && draft.type === 'merge_columns' && chosen.length > 1 && (
            <p className="field__hint">Order: {chosen.join(' · ')}</p>
          )}
          {field.hint && !error && (
            <p className="field__hint" id={`${id}-hint`}>
              {field.hint}
            </p>
          )}
          {error && (
            <p className="field__error" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
        </fieldset>
      );
    }
    case 'enum':
      return (
        <SelectField
          label={field.label}
          error={error}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          data-field={field.name}
        >
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
      );
    case 'flag':
      return (
        <div className="field" data-field={field.name}>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={raw === true}
              onChange={(e) => onChange(e.target.checked)}
            />
            {field.label}
          </label>
          {error && (
            <p className="field__error" role="alert">
              {error}
            </p>
          )}
        </div>
      );
    case 'mapping':
      return (
        <MappingEditor
          label={field.label}
          rows={Array.isArray(raw) ? (raw as MappingRow[]) : []}
          error={error}
          onChange={onChange}
        />
      );
    case 'formula':
      return (
        <div className={`field${error ? ' field--invalid' : ''}`} data-field={field.name}>
          <label className="field__label" htmlFor={id}>
            {field.label}
          </label>
          <textarea
            id={id}
            className="input opfields__textarea"
            rows={3}
            spellCheck={false}
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
            onChange={(e) => onChange(e.target.value)}
          />
          <select
            className="input input--sm select"
            aria-label="Insert a column into the formula"
            value=""
            onChange={(e) => {
              if (e.target.value)
                onChange(`${text}${text && !text.endsWith(' ') ? ' ' : ''}[${e.target.value}]`);
            }}
          >
            <option value="">Insert column…</option>
            {schema.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          {!error && (
            <p className="field__hint" id={`${id}-hint`}>
              {field.hint}
            </p>
          )}
          {error && (
            <p className="field__error" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
        </div>
      );
    case 'literal': {
      const list =
        draft.type === 'filter_rows' && (draft.values.op === 'in' || draft.values.op === 'not_in');
      if (list) {
        return (
          <div className={`field${error ? ' field--invalid' : ''}`} data-field={field.name}>
            <label className="field__label" htmlFor={id}>
              Values <span className="muted">(one per line)</span>
            </label>
            <textarea
              id={id}
              className="input opfields__textarea"
              rows={3}
              value={text}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => onChange(e.target.value)}
            />
            {error && (
              <p className="field__error" id={`${id}-error`} role="alert">
                {error}
              </p>
            )}
          </div>
        );
      }
      return (
        <TextField
          label={field.label}
          hint={field.hint}
          error={error}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          data-field={field.name}
        />
      );
    }
    default:
      return (
        <TextField
          label={field.label}
          hint={field.kind === 'names' ? field.hint : field.hint}
          error={error}
          value={text}
          placeholder={field.kind === 'text' ? field.placeholder : undefined}
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          onChange={(e) => onChange(e.target.value)}
          data-field={field.name}
        />
      );
  }
}

function MappingEditor({
  label,
  rows,
  error,
  onChange,
}: {
  label: string;
  rows: MappingRow[];
  error: string | null;
  onChange: (rows: MappingRow[]) => void;
}) {
  const id = useId();
  const set = (i: number, patch: Partial<MappingRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className={`field mapping${error ? ' field--invalid' : ''}`} data-field="mapping">
      <legend className="field__label">{label}</legend>
      <div className="mapping__head" aria-hidden="true">
        <span>Value</span>
        <span>Becomes</span>
      </div>
      {rows.map((r, i) => (
        <div className="mapping__row" key={i}>
          <input
            className="input input--sm"
            aria-label={`Value to replace, row ${i + 1}`}
            value={r.from}
            onChange={(e) => set(i, { from: e.target.value })}
          />
          <div className="mapping__to">
            <input
              className="input input--sm"
              aria-label={`Replacement, row ${i + 1}`}
              value={r.to ?? ''}
              placeholder={r.to === null ? 'null (missing)' : undefined}
              disabled={r.to === null}
              onChange={(e) => set(i, { to: e.target.value })}
            />
            <label className="checkbox mapping__null" title="Make this value missing (null)">
              <input
                type="checkbox"
                checked={r.to === null}
                aria-label={`Row ${i + 1} becomes missing (null)`}
                onChange={(e) => set(i, { to: e.target.checked ? null : '' })}
              />
              <span aria-hidden="true">null</span>
            </label>
          </div>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            aria-label={`Remove mapping row ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="btn btn--secondary btn--sm"
          onClick={() => onChange([...rows, { from: '', to: '' }])}
        >
          Add value
        </button>
      </div>
      {error && (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
