import type { CleanOperation } from '../../api/types';
import {
  isDateLikeColumn,
  isNumericColumn,
  isTextColumn,
  type SimColumn,
  type SimSchema,
} from './schema.utils';

/**
 * The cleaning operations the builder knows: one spec per type (its fields, defaults and
 * column filters), drafts (what the forms edit: strings, lists, flags) and the conversions
 * draft <-> operation JSON with client-side validation. The server validates again.
 */

export const OPERATION_TYPES = [
  'fill_missing',
  'drop_missing',
  'outliers',
  'cast',
  'trim_whitespace',
  'change_case',
  'normalize_categories',
  'standardize_dates',
  'parse_numbers',
  'find_replace',
  'deduplicate',
  'filter_rows',
  'rename_column',
  'drop_columns',
  'split_column',
  'merge_columns',
  'derive_column',
] as const;

export type OperationType = (typeof OPERATION_TYPES)[number];

export function isOperationType(t: unknown): t is OperationType {
  return typeof t === 'string' && (OPERATION_TYPES as readonly string[]).includes(t);
}

export interface MappingRow {
  from: string;
  /** null marks the value as missing. */
  to: string | null;
}

export type DraftValue = string | string[] | boolean | MappingRow[];
export type DraftValues = Record<string, DraftValue>;

export interface OperationDraft {
  /** Stable identity for React lists; never sent. */
  key: string;
  type: OperationType;
  values: DraftValues;
  /** Params the forms do not know (from a pasted recipe), sent back verbatim. */
  extra: Record<string, unknown>;
}

type ColumnFilter = (c: SimColumn, values: DraftValues) => boolean;

interface BaseField {
  name: string;
  label: string;
  hint?: string;
  /** Hidden (and not sent) unless this holds. */
  when?: (values: DraftValues) => boolean;
}

export type FieldSpec =
  | (BaseField & { kind: 'column'; filter?: ColumnFilter; filterLabel?: string })
  | (BaseField & {
      kind: 'columns';
      filter?: ColumnFilter;
      /** At least this many columns; 0 = optional (empty means every column). */
      min: number;
    })
  | (BaseField & { kind: 'enum'; options: readonly { value: string; label: string }[] })
  | (BaseField & { kind: 'text'; required: boolean; multiline?: boolean; placeholder?: string })
  | (BaseField & { kind: 'number' })
  /** A literal compared with / written to `column`: a number for numeric columns. */
  | (BaseField & { kind: 'literal'; required: (values: DraftValues) => boolean })
  | (BaseField & { kind: 'flag' })
  | (BaseField & { kind: 'mapping' })
  /** One or more new column names. */
  | (BaseField & { kind: 'names' })
  /** One new column name; `replaces` allows an existing name (the column is replaced). */
  | (BaseField & { kind: 'new_name'; replaces?: boolean })
  | (BaseField & { kind: 'formula' });

export type FieldKind = FieldSpec['kind'];

export interface OperationSpec {
  type: OperationType;
  label: string;
  group: 'Missing values' | 'Text' | 'Types' | 'Rows' | 'Columns';
  description: string;
  fields: readonly FieldSpec[];
  defaults: DraftValues;
}

const opts = (...values: string[]) =>
  values.map((value) => ({ value, label: value.replace(/_/g, ' ') }));

const numericStrategies = new Set(['mean', 'median', 'interpolate']);
const listOps = new Set(['in', 'not_in']);
const nullOps = new Set(['is_null', 'not_null']);
const anyColumn = () => true;
const numeric: ColumnFilter = (c) => isNumericColumn(c);
const text: ColumnFilter = (c) => isTextColumn(c);

const FILTER_OPS = [
  { value: 'eq', label: 'equals' },
  { value: 'ne', label: 'does not equal' },
  { value: 'lt', label: 'is less than' },
  { value: 'le', label: 'is at most' },
  { value: 'gt', label: 'is greater than' },
  { value: 'ge', label: 'is at least' },
  { value: 'in', label: 'is one of' },
  { value: 'not_in', label: 'is none of' },
  { value: 'is_null', label: 'is missing' },
  { value: 'not_null', label: 'is present' },
  { value: 'contains', label: 'contains' },
  { value: 'matches', label: 'matches the regex' },
] as const;

export const OUTLIER_THRESHOLDS: Record<string, string> = { iqr: '1.5', zscore: '3', mad: '3.5' };

export const OPERATION_SPECS: Record<OperationType, OperationSpec> = {
  fill_missing: {
    type: 'fill_missing',
    label: 'Fill missing values',
    group: 'Missing values',
    description: 'Replace empty cells of a column.',
    fields: [
      {
        name: 'column',
        label: 'Column',
        kind: 'column',
        filter: (c, v) => !numericStrategies.has(String(v.strategy)) || isNumericColumn(c),
        filterLabel: 'numeric columns for mean, median and interpolate',
      },
      {
        name: 'strategy',
        label: 'Fill with',
        kind: 'enum',
        options: opts('mean', 'median', 'mode', 'constant', 'ffill', 'bfill', 'interpolate'),
      },
      {
        name: 'value',
        label: 'Value',
        kind: 'literal',
        required: () => true,
        when: (v) => v.strategy === 'constant',
      },
    ],
    defaults: { column: '', strategy: 'median', value: '' },
  },
  drop_missing: {
    type: 'drop_missing',
    label: 'Drop rows with missing values',
    group: 'Missing values',
    description: 'Remove rows with empty cells in the chosen columns (all columns if none).',
    fields: [
      { name: 'columns', label: 'Columns', kind: 'columns', min: 0, hint: 'None = all columns' },
      {
        name: 'how',
        label: 'Drop a row when',
        kind: 'enum',
        options: [
          { value: 'any', label: 'any chosen cell is missing' },
          { value: 'all', label: 'all chosen cells are missing' },
        ],
      },
    ],
    defaults: { columns: [], how: 'any' },
  },
  outliers: {
    type: 'outliers',
    label: 'Handle outliers',
    group: 'Rows',
    description: 'Find extreme values of a numeric column and drop, cap or blank them.',
    fields: [
      { name: 'column', label: 'Column', kind: 'column', filter: numeric, filterLabel: 'numeric' },
      { name: 'method', label: 'Method', kind: 'enum', options: opts('iqr', 'zscore', 'mad') },
      {
        name: 'threshold',
        label: 'Threshold',
        kind: 'number',
        hint: 'IQR multiplier or number of deviations',
      },
      {
        name: 'action',
        label: 'Action',
        kind: 'enum',
        options: [
          { value: 'cap', label: 'cap to the bounds' },
          { value: 'drop', label: 'drop the row' },
          { value: 'set_null', label: 'set to null' },
        ],
      },
    ],
    defaults: { column: '', method: 'iqr', threshold: '1.5', action: 'cap' },
  },
  cast: {
    type: 'cast',
    label: 'Change type',
    group: 'Types',
    description: 'Convert a column to another type.',
    fields: [
      { name: 'column', label: 'Column', kind: 'column' },
      {
        name: 'to',
        label: 'To',
        kind: 'enum',
        options: opts('integer', 'float', 'decimal', 'boolean', 'date', 'timestamp', 'string'),
      },
      {
        name: 'format',
        label: 'Format',
        kind: 'text',
        required: false,
        placeholder: '%Y-%m-%d',
        hint: 'Optional. Dates: a strptime format such as %d/%m/%Y; decimal: precision,scale (18,4); to text from dates: strftime',
        when: (v) =>
          v.to === 'date' || v.to === 'timestamp' || v.to === 'decimal' || v.to === 'string',
      },
      {
        name: 'on_error',
        label: 'Values that do not convert',
        kind: 'enum',
        options: [
          { value: 'null', label: 'become null' },
          { value: 'drop', label: 'drop the row' },
          { value: 'fail', label: 'fail the operation' },
        ],
      },
    ],
    defaults: { column: '', to: 'integer', format: '', on_error: 'null' },
  },
  trim_whitespace: {
    type: 'trim_whitespace',
    label: 'Trim whitespace',
    group: 'Text',
    description: 'Remove leading and trailing spaces.',
    fields: [
      {
        name: 'columns',
        label: 'Columns',
        kind: 'columns',
        min: 0,
        filter: text,
        hint: 'None = all text columns',
      },
    ],
    defaults: { columns: [] },
  },
  change_case: {
    type: 'change_case',
    label: 'Change case',
    group: 'Text',
    description: 'Lower, upper or title case a text column.',
    fields: [
      { name: 'column', label: 'Column', kind: 'column', filter: text, filterLabel: 'text' },
      { name: 'case', label: 'Case', kind: 'enum', options: opts('lower', 'upper', 'title') },
    ],
    defaults: { column: '', case: 'lower' },
  },
  normalize_categories: {
    type: 'normalize_categories',
    label: 'Normalize categories',
    group: 'Text',
    description: 'Map spelling variants to one canonical value.',
    fields: [
      { name: 'column', label: 'Column', kind: 'column', filter: text, filterLabel: 'text' },
      { name: 'mapping', label: 'Mapping', kind: 'mapping' },
    ],
    defaults: { column: '', mapping: [{ from: '', to: '' }] },
  },
  standardize_dates: {
    type: 'standardize_dates',
    label: 'Standardize dates',
    group: 'Types',
    description: 'Parse mixed date formats into dates.',
    fields: [
      {
        name: 'column',
        label: 'Column',
        kind: 'column',
        filter: (c) => isDateLikeColumn(c),
        filterLabel: 'text or date',
      },
      {
        name: 'input_format',
        label: 'Input format',
        kind: 'text',
        required: false,
        placeholder: '%d/%m/%Y',
        hint: 'Optional; detected when empty',
      },
    ],
    defaults: { column: '', input_format: '' },
  },
  parse_numbers: {
    type: 'parse_numbers',
    label: 'Parse numbers',
    group: 'Types',
    description: 'Read numbers out of text such as "$1,200" or "12%".',
    fields: [
      { name: 'column', label: 'Column', kind: 'column', filter: text, filterLabel: 'text' },
    ],
    defaults: { column: '' },
  },
  find_replace: {
    type: 'find_replace',
    label: 'Find and replace',
    group: 'Text',
    description: 'Replace text in a column, literally or by regular expression.',
    fields: [
      { name: 'column', label: 'Column', kind: 'column', filter: text, filterLabel: 'text' },
      { name: 'find', label: 'Find', kind: 'text', required: true },
      { name: 'replace', label: 'Replace with', kind: 'text', required: false },
      { name: 'regex', label: 'Regular expression', kind: 'flag' },
    ],
    defaults: { column: '', find: '', replace: '', regex: false },
  },
  deduplicate: {
    type: 'deduplicate',
    label: 'Remove duplicates',
    group: 'Rows',
    description: 'Keep one row per set of equal values.',
    fields: [
      { name: 'columns', label: 'Compare', kind: 'columns', min: 0, hint: 'None = whole rows' },
      { name: 'keep', label: 'Keep', kind: 'enum', options: opts('first', 'last') },
    ],
    defaults: { columns: [], keep: 'first' },
  },
  filter_rows: {
    type: 'filter_rows',
    label: 'Filter rows',
    group: 'Rows',
    description: 'Keep only the rows that match a condition.',
    fields: [
      { name: 'column', label: 'Column', kind: 'column' },
      {
        name: 'op',
        label: 'Keep rows where the value',
        kind: 'enum',
        options: FILTER_OPS,
      },
      {
        name: 'value',
        label: 'Value',
        kind: 'literal',
        required: () => true,
        when: (v) => !nullOps.has(String(v.op)),
      },
    ],
    defaults: { column: '', op: 'eq', value: '' },
  },
  rename_column: {
    type: 'rename_column',
    label: 'Rename column',
    group: 'Columns',
    description: 'Give a column a new name; later steps use the new name.',
    fields: [
      { name: 'from', label: 'Column', kind: 'column' },
      { name: 'to', label: 'New name', kind: 'new_name' },
    ],
    defaults: { from: '', to: '' },
  },
  drop_columns: {
    type: 'drop_columns',
    label: 'Drop columns',
    group: 'Columns',
    description: 'Remove columns.',
    fields: [{ name: 'columns', label: 'Columns', kind: 'columns', min: 1 }],
    defaults: { columns: [] },
  },
  split_column: {
    type: 'split_column',
    label: 'Split column',
    group: 'Columns',
    description: 'Split a text column on a delimiter into new columns.',
    fields: [
      { name: 'column', label: 'Column', kind: 'column', filter: text, filterLabel: 'text' },
      { name: 'delimiter', label: 'Delimiter', kind: 'text', required: true, placeholder: ',' },
      {
        name: 'into',
        label: 'New columns',
        kind: 'names',
        hint: 'Comma-separated names, in order',
      },
    ],
    defaults: { column: '', delimiter: '', into: '' },
  },
  merge_columns: {
    type: 'merge_columns',
    label: 'Merge columns',
    group: 'Columns',
    description: 'Join columns into one text column.',
    fields: [
      {
        name: 'columns',
        label: 'Columns',
        kind: 'columns',
        min: 2,
        hint: 'Joined in the order you tick them',
      },
      { name: 'separator', label: 'Separator', kind: 'text', required: false },
      { name: 'into', label: 'New column', kind: 'new_name' },
    ],
    defaults: { columns: [], separator: ' ', into: '' },
  },
  derive_column: {
    type: 'derive_column',
    label: 'Derive column',
    group: 'Columns',
    description: 'Compute a new column from a formula.',
    fields: [
      {
        name: 'name',
        label: 'Column name',
        kind: 'new_name',
        replaces: true,
        hint: 'A new name adds a column; an existing one is replaced',
      },
      {
        name: 'expression',
        label: 'Formula',
        kind: 'formula',
        hint: 'e.g. round([unit price] * qty, 2), if(amount > 100, "big", "small"), year(created)',
      },
    ],
    defaults: { name: '', expression: '' },
  },
};

export const OPERATION_GROUPS = ['Missing values', 'Text', 'Types', 'Rows', 'Columns'] as const;

/** The fields of a draft that are visible (and sent) given its current values. */
export function visibleFields(draft: Pick<OperationDraft, 'type' | 'values'>): FieldSpec[] {
  return OPERATION_SPECS[draft.type].fields.filter((f) => !f.when || f.when(draft.values));
}

/** The columns a column field offers at this step. */
export function columnChoices(
  field: FieldSpec,
  schema: SimSchema,
  values: DraftValues,
): SimColumn[] {
  const filter = 'filter' in field && field.filter ? field.filter : anyColumn;
  return schema.filter((c) => filter(c, values));
}

let keySeq = 0;
export function newDraftKey(): string {
  keySeq += 1;
  return `op-${keySeq}`;
}

/** A new draft with defaults; single-column fields start on the first column that fits. */
export function newDraft(type: OperationType, schema: SimSchema): OperationDraft {
  const spec = OPERATION_SPECS[type];
  const values: DraftValues = structuredClone(spec.defaults);
  for (const f of spec.fields) {
    if (f.kind === 'column') values[f.name] = columnChoices(f, schema, values)[0]?.name ?? '';
  }
  return { key: newDraftKey(), type, values, extra: {} };
}

/**
 * A draft field changed. Keeps dependent defaults sensible: the outlier threshold follows
 * the method while it still holds the previous method's default.
 */
export function withFieldValue(
  draft: OperationDraft,
  name: string,
  value: DraftValue,
): OperationDraft {
  const values = { ...draft.values, [name]: value };
  if (draft.type === 'outliers' && name === 'method') {
    const before = OUTLIER_THRESHOLDS[String(draft.values.method)];
    if (draft.values.threshold === before)
      values.threshold = OUTLIER_THRESHOLDS[String(value)] ?? '';
  }
  return { ...draft, values };
}

// ---- operation JSON -> draft ----

function literalText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => literalText(x)).join('\n');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export class RecipeError extends Error {}

/** Reads an operation (from a suggestion or a pasted recipe) into a draft. */
export function draftFromOperation(op: unknown, index = 0): OperationDraft {
  if (!op || typeof op !== 'object' || Array.isArray(op)) {
    throw new RecipeError(`Operation ${index + 1} is not an object.`);
  }
  const { type, ...params } = op as Record<string, unknown>;
  if (!isOperationType(type)) {
    throw new RecipeError(
      `Operation ${index + 1} has an unknown type ${JSON.stringify(type ?? null)}.`,
    );
  }
  const spec = OPERATION_SPECS[type];
  const values: DraftValues = structuredClone(spec.defaults);
  const extra: Record<string, unknown> = {};
  const known = new Map(spec.fields.map((f) => [f.name, f]));
  for (const [name, raw] of Object.entries(params)) {
    const f = known.get(name);
    if (!f) {
      extra[name] = raw;
      continue;
    }
    switch (f.kind) {
      case 'columns':
        values[name] = Array.isArray(raw) ? raw.map((x) => String(x)) : [String(raw ?? '')];
        break;
      case 'names':
        values[name] = Array.isArray(raw)
          ? raw.map((x) => String(x)).join(', ')
          : String(raw ?? '');
        break;
      case 'flag':
        values[name] = raw === true;
        break;
      case 'mapping':
        values[name] =
          raw && typeof raw === 'object' && !Array.isArray(raw)
            ? Object.entries(raw as Record<string, unknown>).map(([from, to]) => ({
                from,
                to: to === null ? null : literalText(to),
              }))
            : [];
        break;
      case 'literal':
        values[name] = literalText(raw);
        break;
      default:
        values[name] = raw === null || raw === undefined ? '' : String(raw);
    }
  }
  return { key: newDraftKey(), type, values, extra };
}

// ---- draft -> operation JSON, with validation ----

/** Field name -> message; the key `_` is for the operation as a whole. */
export type FieldErrors = Record<string, string>;

const asString = (v: DraftValue | undefined) => (typeof v === 'string' ? v : '');
const asList = (v: DraftValue | undefined) =>
  Array.isArray(v) ? (v as unknown[]).filter((x): x is string => typeof x === 'string') : [];

/** "a, b ,c" -> ["a","b","c"] (empty names dropped). */
export function splitNames(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A literal for `column`'s type: numbers for numeric columns (derived columns too when the
 * text is a number), true/false for booleans, else the text.
 */
export function parseLiteral(
  text: string,
  column: SimColumn | undefined,
): { value: string | number | boolean } | { error: string } {
  const t = text.trim();
  const type = column?.type ?? 'unknown';
  if (type === 'integer' || type === 'float' || type === 'decimal') {
    const n = Number(t);
    if (t === '' || !Number.isFinite(n))
      return { error: `Enter a number (${column?.name} is numeric).` };
    if (type === 'integer' && !Number.isInteger(n)) return { error: 'Enter a whole number.' };
    return { value: n };
  }
  if (type === 'boolean') {
    if (/^(true|yes|1)$/i.test(t)) return { value: true };
    if (/^(false|no|0)$/i.test(t)) return { value: false };
    return { error: 'Enter true or false.' };
  }
  if (type === 'unknown' && t !== '' && Number.isFinite(Number(t))) return { value: Number(t) };
  return { value: text };
}

export interface SerializeResult {
  operation: CleanOperation;
  errors: FieldErrors;
}

/** Builds the operation JSON from a draft, checking it against the schema it will see. */
export function serializeDraft(draft: OperationDraft, schema: SimSchema): SerializeResult {
  const errors: FieldErrors = {};
  // The server matches names exactly, then case-insensitively; new names clash either way.
  const names = new Set(schema.map((c) => c.name.toLowerCase()));
  const exists = (n: string) => names.has(n.toLowerCase());
  const operation: CleanOperation = { type: draft.type };
  const v = draft.values;
  const columnOf = (fieldName: string) => schema.find((c) => c.name === asString(v[fieldName]));

  for (const f of visibleFields(draft)) {
    const raw = v[f.name];
    switch (f.kind) {
      case 'column': {
        const name = asString(raw);
        if (!name) errors[f.name] = 'Choose a column.';
        else if (!exists(name)) errors[f.name] = `There is no column "${name}" at this step.`;
        operation[f.name] = name;
        break;
      }
      case 'columns': {
        const list = asList(raw);
        const missing = list.filter((n) => !exists(n));
        if (missing.length)
          errors[f.name] = `Unknown column(s) at this step: ${missing.join(', ')}.`;
        else if (list.length < f.min)
          errors[f.name] =
            f.min === 1 ? 'Choose at least one column.' : `Choose at least ${f.min} columns.`;
        else if (draft.type === 'drop_columns' && list.length >= schema.length && schema.length > 0)
          errors[f.name] = 'Keep at least one column.';
        if (list.length > 0 || f.min > 0) operation[f.name] = list;
        break;
      }
      case 'enum': {
        const value = asString(raw);
        if (!f.options.some((o) => o.value === value)) errors[f.name] = 'Choose an option.';
        operation[f.name] = value;
        break;
      }
      case 'text': {
        const value = asString(raw);
        if (f.required && value === '') errors[f.name] = 'Required.';
        if (value !== '' || f.name === 'replace' || f.name === 'separator')
          operation[f.name] = value;
        break;
      }
      case 'number': {
        const t = asString(raw).trim();
        const n = Number(t);
        if (t === '' || !Number.isFinite(n)) errors[f.name] = 'Enter a number.';
        else if (n <= 0) errors[f.name] = 'Must be greater than 0.';
        operation[f.name] = t === '' ? null : n;
        break;
      }
      case 'literal': {
        const text = asString(raw);
        const column = columnOf('column');
        const isList = draft.type === 'filter_rows' && listOps.has(asString(v.op));
        const isPattern =
          draft.type === 'filter_rows' && (v.op === 'contains' || v.op === 'matches');
        if (isList) {
          const items = text.split('\n').filter((s) => s.trim() !== '');
          if (items.length === 0) errors[f.name] = 'Enter at least one value, one per line.';
          const parsed = items.map((s) => parseLiteral(s, column));
          const bad = parsed.find((p) => 'error' in p);
          if (bad && 'error' in bad) errors[f.name] = bad.error;
          operation[f.name] = parsed.map((p) => ('value' in p ? p.value : null));
        } else if (isPattern) {
          if (text === '') errors[f.name] = 'Required.';
          operation[f.name] = text;
        } else {
          if (f.required(v) && text.trim() === '' && column?.type !== 'string') {
            errors[f.name] = 'Required.';
            operation[f.name] = text;
          } else {
            const p = parseLiteral(text, column);
            if ('error' in p) errors[f.name] = p.error;
            operation[f.name] = 'value' in p ? p.value : text;
          }
        }
        break;
      }
      case 'flag':
        if (raw === true) operation[f.name] = true;
        break;
      case 'mapping': {
        const rows = (Array.isArray(raw) ? raw : []) as MappingRow[];
        const mapping: Record<string, string | null> = {};
        const filled = rows.filter((r) => r.from !== '' || r.to !== '');
        if (filled.length === 0) errors[f.name] = 'Add at least one value to map.';
        for (const r of filled) {
          if (r.from === '') errors[f.name] = 'Every row needs the value to replace.';
          else if (r.from in mapping) errors[f.name] = `"${r.from}" is mapped twice.`;
          mapping[r.from] = r.to;
        }
        operation[f.name] = mapping;
        break;
      }
      case 'names': {
        const list = splitNames(asString(raw));
        if (list.length === 0) errors[f.name] = 'Name at least one new column.';
        const clash = list.filter((n) => exists(n));
        if (clash.length) errors[f.name] = `Already a column: ${clash.join(', ')}.`;
        else if (new Set(list.map((n) => n.toLowerCase())).size !== list.length)
          errors[f.name] = 'Names must differ.';
        operation[f.name] = list;
        break;
      }
      case 'new_name': {
        const name = asString(raw).trim();
        if (!name) errors[f.name] = 'Enter a name.';
        else if (!f.replaces && exists(name))
          errors[f.name] = `There is already a column "${name}".`;
        else if (name.startsWith('__dm_'))
          errors[f.name] = 'Names starting with __dm_ are reserved.';
        operation[f.name] = name;
        break;
      }
      case 'formula': {
        const expr = asString(raw);
        if (!expr.trim()) errors[f.name] = 'Enter a formula.';
        operation[f.name] = expr;
        break;
      }
    }
  }
  return { operation: { ...draft.extra, ...operation }, errors };
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

// ---- human summaries ----

const q = (s: unknown) => `“${String(s)}”`;
const list = (v: unknown) =>
  Array.isArray(v) && v.length > 0 ? v.map((x) => q(x)).join(', ') : null;

/** One line saying what an operation does, for suggestions, cards and history. */
export function describeOperation(op: CleanOperation | null | undefined): string {
  if (!op) return 'Unknown operation';
  const p = op as Record<string, unknown>;
  switch (op.type) {
    case 'fill_missing':
      return p.strategy === 'constant'
        ? `Fill missing ${q(p.column)} with ${JSON.stringify(p.value ?? null)}`
        : `Fill missing ${q(p.column)} (${String(p.strategy)})`;
    case 'drop_missing':
      return `Drop rows missing ${p.how === 'all' ? 'all of' : 'any of'} ${list(p.columns) ?? 'the columns'}`;
    case 'outliers':
      return `Outliers in ${q(p.column)}: ${String(p.action).replace('_', ' ')} (${String(p.method)} ${String(p.threshold)})`;
    case 'cast':
      return `Cast ${q(p.column)} to ${String(p.to)}`;
    case 'trim_whitespace':
      return `Trim whitespace in ${list(p.columns) ?? 'all text columns'}`;
    case 'change_case':
      return `${String(p.case)} case ${q(p.column)}`.replace(/^./, (c) => c.toUpperCase());
    case 'normalize_categories': {
      const n =
        p.mapping && typeof p.mapping === 'object' ? Object.keys(p.mapping as object).length : 0;
      return `Normalize ${q(p.column)} (${n} value${n === 1 ? '' : 's'} mapped)`;
    }
    case 'standardize_dates':
      return `Standardize dates in ${q(p.column)}`;
    case 'parse_numbers':
      return `Parse numbers in ${q(p.column)}`;
    case 'find_replace':
      return `Replace ${q(p.find)} with ${q(p.replace ?? '')} in ${q(p.column)}${p.regex ? ' (regex)' : ''}`;
    case 'deduplicate':
      return `Remove duplicate rows${list(p.columns) ? ` by ${list(p.columns)}` : ''}, keep ${String(p.keep ?? 'first')}`;
    case 'filter_rows': {
      const label = FILTER_OPS.find((o) => o.value === p.op)?.label ?? String(p.op);
      const value = nullOps.has(String(p.op)) ? '' : ` ${JSON.stringify(p.value ?? null)}`;
      return `Keep rows where ${q(p.column)} ${label}${value}`;
    }
    case 'rename_column':
      return `Rename ${q(p.from)} to ${q(p.to)}`;
    case 'drop_columns':
      return `Drop ${list(p.columns) ?? 'columns'}`;
    case 'split_column':
      return `Split ${q(p.column)} on ${q(p.delimiter)} into ${list(p.into) ?? '…'}`;
    case 'merge_columns':
      return `Merge ${list(p.columns) ?? 'columns'} into ${q(p.into)}`;
    case 'derive_column':
      return `Derive ${q(p.name)} = ${String(p.expression)}`;
    default:
      return String(op.type).replace(/_/g, ' ');
  }
}

export function operationLabel(type: string): string {
  return isOperationType(type) ? OPERATION_SPECS[type].label : type.replace(/_/g, ' ');
}
