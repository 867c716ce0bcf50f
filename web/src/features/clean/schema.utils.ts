import type { ColumnType, DatasetColumn } from '../../api/types';

/** A column as the builder believes it to be at some step; `unknown` for derived columns. */
export interface SimColumn {
  name: string;
  type: ColumnType | 'unknown';
}

export type SimSchema = readonly SimColumn[];

/** The fields of an operation that change the schema, as the builder holds them. */
export interface SchemaChange {
  type: string;
  values: Readonly<Record<string, unknown>>;
}

const NUMERIC: ReadonlySet<string> = new Set(['integer', 'float', 'decimal']);
const TEXTUAL: ReadonlySet<string> = new Set(['string']);
const TEMPORAL: ReadonlySet<string> = new Set(['date', 'timestamp', 'time']);

export const isNumericColumn = (c: SimColumn) => c.type === 'unknown' || NUMERIC.has(c.type);
export const isTextColumn = (c: SimColumn) => c.type === 'unknown' || TEXTUAL.has(c.type);
export const isDateLikeColumn = (c: SimColumn) =>
  c.type === 'unknown' || TEXTUAL.has(c.type) || TEMPORAL.has(c.type);

export function fromDatasetColumns(columns: readonly DatasetColumn[]): SimColumn[] {
  return columns.map((c) => ({ name: c.name, type: c.type }));
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
/** A list field: an array, or comma-separated names as typed in the builder. */
const strList = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];

function castTarget(to: string): SimColumn['type'] {
  return ['integer', 'float', 'decimal', 'boolean', 'date', 'timestamp', 'string'].includes(to)
    ? (to as ColumnType)
    : 'unknown';
}

/**
 * The schema after one operation (docs/cleaning.md). A light simulation so later steps can
 * pick columns by their new names; the server validates the real thing. Split pieces follow
 * their source, merged and derived columns are appended (a derived existing name is
 * replaced in place), sources stay; types follow casts and parsers.
 */
export function applySchemaChange(schema: SimSchema, op: SchemaChange): SimColumn[] {
  const v = op.values;
  const out = schema.map((c) => ({ ...c }));
  const addColumn = (name: string, type: SimColumn['type']) => {
    if (!name.trim()) return;
    const existing = out.findIndex((c) => c.name === name);
    if (existing >= 0) out[existing] = { name, type };
    else out.push({ name, type });
  };
  const setType = (name: string, type: SimColumn['type']) => {
    const c = out.find((x) => x.name === name);
    if (c) c.type = type;
  };
  switch (op.type) {
    case 'rename_column': {
      const from = str(v.from);
      const to = str(v.to);
      const c = out.find((x) => x.name === from);
      if (c && to.trim()) c.name = to;
      return out;
    }
    case 'drop_columns': {
      const drop = new Set(strList(v.columns));
      return out.filter((c) => !drop.has(c.name));
    }
    case 'split_column': {
      // The pieces go right after the source column, which stays.
      const at = out.findIndex((c) => c.name === str(v.column));
      const pieces = strList(v.into)
        .filter((n) => !out.some((c) => c.name === n))
        .map((name) => ({ name, type: 'string' as const }));
      if (at < 0) out.push(...pieces);
      else out.splice(at + 1, 0, ...pieces);
      return out;
    }
    case 'merge_columns':
      addColumn(str(v.into), 'string');
      return out;
    case 'derive_column':
      addColumn(str(v.name), 'unknown');
      return out;
    case 'cast':
      setType(str(v.column), castTarget(str(v.to)));
      return out;
    case 'parse_numbers':
      setType(str(v.column), 'float');
      return out;
    case 'standardize_dates':
      setType(str(v.column), 'date');
      return out;
    default:
      return out;
  }
}

/** schemas[i] is the schema operation i sees; schemas[n] is the result of all of them. */
export function schemaSteps(initial: SimSchema, ops: readonly SchemaChange[]): SimColumn[][] {
  const steps: SimColumn[][] = [initial.map((c) => ({ ...c }))];
  for (const op of ops) steps.push(applySchemaChange(steps[steps.length - 1] ?? [], op));
  return steps;
}
