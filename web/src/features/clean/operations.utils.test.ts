import { describe, expect, it } from 'vitest';
import type { CleanOperation } from '../../api/types';
import {
  columnChoices,
  describeOperation,
  draftFromOperation,
  newDraft,
  OPERATION_SPECS,
  OPERATION_TYPES,
  parseLiteral,
  RecipeError,
  serializeDraft,
  visibleFields,
  withFieldValue,
  type OperationDraft,
} from './operations.utils';
import type { SimColumn } from './schema.utils';

const schema: SimColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'city', type: 'string' },
  { name: 'amount', type: 'float' },
  { name: 'paid', type: 'boolean' },
  { name: 'created', type: 'date' },
];

const draft = (type: OperationDraft['type'], values: OperationDraft['values']): OperationDraft => ({
  key: 'k',
  type,
  values: { ...OPERATION_SPECS[type].defaults, ...values },
  extra: {},
});

describe('operation specs', () => {
  it('has a spec, label and fields for every type', () => {
    for (const t of OPERATION_TYPES) {
      expect(OPERATION_SPECS[t].type).toBe(t);
      expect(OPERATION_SPECS[t].label).toBeTruthy();
    }
  });

  it('new drafts start on the first column that fits the field', () => {
    expect(newDraft('outliers', schema).values.column).toBe('id');
    expect(newDraft('change_case', schema).values.column).toBe('city');
    expect(newDraft('cast', schema).values.column).toBe('id');
    expect(newDraft('parse_numbers', [{ name: 'n', type: 'integer' }]).values.column).toBe('');
  });

  it('filters column pickers by type, following other fields', () => {
    const outliers = OPERATION_SPECS.outliers.fields[0]!;
    expect(columnChoices(outliers, schema, {}).map((c) => c.name)).toEqual(['id', 'amount']);
    const fillColumn = OPERATION_SPECS.fill_missing.fields[0]!;
    expect(columnChoices(fillColumn, schema, { strategy: 'median' }).map((c) => c.name)).toEqual([
      'id',
      'amount',
    ]);
    expect(columnChoices(fillColumn, schema, { strategy: 'mode' })).toHaveLength(5);
    const trim = OPERATION_SPECS.trim_whitespace.fields[0]!;
    expect(columnChoices(trim, schema, {}).map((c) => c.name)).toEqual(['city']);
    // Derived columns (unknown type) are offered everywhere.
    expect(columnChoices(outliers, [{ name: 'ratio', type: 'unknown' }], {})).toHaveLength(1);
  });

  it('shows dependent fields only when they apply', () => {
    const names = (d: OperationDraft) => visibleFields(d).map((f) => f.name);
    expect(names(draft('fill_missing', { strategy: 'mean' }))).toEqual(['column', 'strategy']);
    expect(names(draft('fill_missing', { strategy: 'constant' }))).toContain('value');
    expect(names(draft('filter_rows', { op: 'is_null' }))).not.toContain('value');
    expect(names(draft('cast', { to: 'integer' }))).not.toContain('format');
    expect(names(draft('cast', { to: 'date' }))).toContain('format');
  });

  it('moves the outlier threshold with the method while it is the default', () => {
    let d = draft('outliers', { column: 'amount' });
    d = withFieldValue(d, 'method', 'zscore');
    expect(d.values.threshold).toBe('3');
    d = withFieldValue(d, 'threshold', '2.5');
    d = withFieldValue(d, 'method', 'mad');
    expect(d.values.threshold).toBe('2.5');
  });
});

describe('serializeDraft', () => {
  it('builds the JSON of each type, leaving out empty optional params', () => {
    const cases: [OperationDraft, CleanOperation][] = [
      [
        draft('fill_missing', { column: 'amount', strategy: 'median', value: '9' }),
        { type: 'fill_missing', column: 'amount', strategy: 'median' },
      ],
      [
        draft('fill_missing', { column: 'amount', strategy: 'constant', value: '0' }),
        { type: 'fill_missing', column: 'amount', strategy: 'constant', value: 0 },
      ],
      [
        draft('fill_missing', { column: 'city', strategy: 'constant', value: 'unknown' }),
        { type: 'fill_missing', column: 'city', strategy: 'constant', value: 'unknown' },
      ],
      [draft('drop_missing', {}), { type: 'drop_missing', how: 'any' }],
      [
        draft('outliers', { column: 'amount', method: 'zscore', threshold: '3', action: 'drop' }),
        { type: 'outliers', column: 'amount', method: 'zscore', threshold: 3, action: 'drop' },
      ],
      [
        draft('cast', { column: 'city', to: 'date', format: '%d/%m/%Y', on_error: 'fail' }),
        { type: 'cast', column: 'city', to: 'date', format: '%d/%m/%Y', on_error: 'fail' },
      ],
      [
        draft('cast', { column: 'city', to: 'integer', format: '%d', on_error: 'null' }),
        { type: 'cast', column: 'city', to: 'integer', on_error: 'null' },
      ],
      [
        draft('trim_whitespace', { columns: ['city'] }),
        { type: 'trim_whitespace', columns: ['city'] },
      ],
      [
        draft('normalize_categories', {
          column: 'city',
          mapping: [
            { from: 'paris', to: 'Paris' },
            { from: '', to: '' },
          ],
        }),
        { type: 'normalize_categories', column: 'city', mapping: { paris: 'Paris' } },
      ],
      [
        draft('find_replace', { column: 'city', find: ' ', replace: '', regex: false }),
        { type: 'find_replace', column: 'city', find: ' ', replace: '' },
      ],
      [
        draft('find_replace', { column: 'city', find: '\\s+', replace: ' ', regex: true }),
        { type: 'find_replace', column: 'city', find: '\\s+', replace: ' ', regex: true },
      ],
      [
        draft('filter_rows', { column: 'amount', op: 'in', value: '1\n2.5\n' }),
        { type: 'filter_rows', column: 'amount', op: 'in', value: [1, 2.5] },
      ],
      [
        draft('filter_rows', { column: 'paid', op: 'eq', value: 'yes' }),
        { type: 'filter_rows', column: 'paid', op: 'eq', value: true },
      ],
      [
        draft('filter_rows', { column: 'amount', op: 'not_null', value: 'x' }),
        { type: 'filter_rows', column: 'amount', op: 'not_null' },
      ],
      [
        draft('split_column', { column: 'city', delimiter: '-', into: 'a, b' }),
        { type: 'split_column', column: 'city', delimiter: '-', into: ['a', 'b'] },
      ],
      [
        draft('merge_columns', { columns: ['city', 'id'], separator: '', into: 'key' }),
        { type: 'merge_columns', columns: ['city', 'id'], separator: '', into: 'key' },
      ],
      [
        draft('derive_column', { name: 'double', expression: 'amount * 2' }),
        { type: 'derive_column', name: 'double', expression: 'amount * 2' },
      ],
    ];
    for (const [d, expected] of cases) {
      const r = serializeDraft(d, schema);
      expect(r.errors, JSON.stringify(expected)).toEqual({});
      expect(r.operation).toEqual(expected);
    }
  });

  it('names the field of each problem', () => {
    expect(serializeDraft(draft('change_case', { column: '' }), schema).errors).toEqual({
      column: 'Choose a column.',
    });
    expect(serializeDraft(draft('change_case', { column: 'town' }), schema).errors.column).toMatch(
      /no column "town"/,
    );
    expect(
      serializeDraft(draft('outliers', { column: 'amount', threshold: '-1' }), schema).errors,
    ).toEqual({ threshold: 'Must be greater than 0.' });
    expect(
      serializeDraft(draft('rename_column', { from: 'id', to: 'city' }), schema).errors,
    ).toEqual({
      to: 'There is already a column "city".',
    });
    expect(serializeDraft(draft('drop_columns', { columns: [] }), schema).errors.columns).toBe(
      'Choose at least one column.',
    );
    expect(
      serializeDraft(draft('merge_columns', { columns: ['id'], into: 'k' }), schema).errors.columns,
    ).toBe('Choose at least 2 columns.');
    expect(
      serializeDraft(draft('normalize_categories', { column: 'city', mapping: [] }), schema).errors
        .mapping,
    ).toBeTruthy();
    expect(
      serializeDraft(draft('filter_rows', { column: 'amount', op: 'gt', value: 'ten' }), schema)
        .errors.value,
    ).toMatch(/number/);
    expect(
      serializeDraft(
        draft('split_column', { column: 'city', delimiter: ',', into: 'id, x' }),
        schema,
      ).errors.into,
    ).toBe('Already a column: id.');
    expect(
      serializeDraft(draft('derive_column', { name: 'x', expression: ' ' }), schema).errors,
    ).toEqual({ expression: 'Enter a formula.' });
  });

  it('keeps params it does not know', () => {
    const d = draftFromOperation({ type: 'trim_whitespace', columns: ['city'], collapse: true });
    expect(d.extra).toEqual({ collapse: true });
    expect(serializeDraft(d, schema).operation).toEqual({
      type: 'trim_whitespace',
      columns: ['city'],
      collapse: true,
    });
  });
});

describe('draftFromOperation', () => {
  it('round-trips operations through the forms', () => {
    const ops: CleanOperation[] = [
      { type: 'fill_missing', column: 'amount', strategy: 'constant', value: 0 },
      { type: 'outliers', column: 'amount', method: 'iqr', threshold: 1.5, action: 'cap' },
      { type: 'normalize_categories', column: 'city', mapping: { PARIS: 'Paris', lyon: 'Lyon' } },
      { type: 'normalize_categories', column: 'city', mapping: { 'N/A': null, '-': null } },
      { type: 'filter_rows', column: 'city', op: 'not_in', value: ['a', 'b'] },
      { type: 'split_column', column: 'city', delimiter: ' ', into: ['first', 'last'] },
      { type: 'deduplicate', columns: ['id'], keep: 'last' },
      { type: 'standardize_dates', column: 'created', input_format: '%d.%m.%Y' },
      { type: 'rename_column', from: 'city', to: 'town' },
    ];
    for (const op of ops)
      expect(serializeDraft(draftFromOperation(op), schema).operation).toEqual(op);
  });

  it('refuses what is not an operation', () => {
    expect(() => draftFromOperation({ type: 'explode' }, 2)).toThrow(RecipeError);
    expect(() => draftFromOperation({ type: 'explode' }, 2)).toThrow(/Operation 3/);
    expect(() => draftFromOperation(42)).toThrow(/not an object/);
  });
});

describe('parseLiteral', () => {
  it('reads values by the column type', () => {
    expect(parseLiteral('12', { name: 'n', type: 'integer' })).toEqual({ value: 12 });
    expect(parseLiteral('1.5', { name: 'n', type: 'integer' })).toEqual({
      error: 'Enter a whole number.',
    });
    expect(parseLiteral('false', { name: 'b', type: 'boolean' })).toEqual({ value: false });
    expect(parseLiteral('12', { name: 's', type: 'string' })).toEqual({ value: '12' });
    expect(parseLiteral('12', { name: 'd', type: 'unknown' })).toEqual({ value: 12 });
  });
});

describe('describeOperation', () => {
  it('says what an operation does', () => {
    expect(describeOperation({ type: 'fill_missing', column: 'amount', strategy: 'median' })).toBe(
      'Fill missing “amount” (median)',
    );
    expect(describeOperation({ type: 'filter_rows', column: 'amount', op: 'ge', value: 10 })).toBe(
      'Keep rows where “amount” is at least 10',
    );
    expect(describeOperation({ type: 'trim_whitespace' })).toBe(
      'Trim whitespace in all text columns',
    );
    expect(describeOperation({ type: 'change_case', column: 'city', case: 'title' })).toBe(
      'Title case “city”',
    );
    expect(describeOperation({ type: 'mystery' })).toBe('mystery');
  });
});
