import { describe, expect, it } from 'vitest';
import { applySchemaChange, fromDatasetColumns, schemaSteps, type SimColumn } from './schema.utils';

const base: SimColumn[] = fromDatasetColumns([
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'price', type: 'string' },
]);
const names = (s: SimColumn[]) => s.map((c) => c.name);

describe('schema simulation', () => {
  it('lets later steps see a renamed column by its new name', () => {
    const steps = schemaSteps(base, [
      { type: 'rename_column', values: { from: 'name', to: 'full name' } },
      { type: 'trim_whitespace', values: { columns: ['full name'] } },
    ]);
    expect(steps).toHaveLength(3);
    expect(names(steps[0]!)).toEqual(['id', 'name', 'price']);
    expect(names(steps[1]!)).toEqual(['id', 'full name', 'price']);
    expect(names(steps[2]!)).toEqual(['id', 'full name', 'price']);
  });

  it('drops, splits, merges and derives', () => {
    expect(
      names(applySchemaChange(base, { type: 'drop_columns', values: { columns: ['price'] } })),
    ).toEqual(['id', 'name']);
    expect(
      names(
        applySchemaChange(base, {
          type: 'split_column',
          values: { column: 'name', into: 'first, last' },
        }),
      ),
    ).toEqual(['id', 'name', 'first', 'last', 'price']);
    expect(
      applySchemaChange(base, {
        type: 'merge_columns',
        values: { columns: ['id', 'name'], into: 'key' },
      }).at(-1),
    ).toEqual({ name: 'key', type: 'string' });
    expect(
      applySchemaChange(base, {
        type: 'derive_column',
        values: { name: 'x', expression: 'id*2' },
      }).at(-1),
    ).toEqual({ name: 'x', type: 'unknown' });
  });

  it('follows type changes', () => {
    const find = (s: SimColumn[], n: string) => s.find((c) => c.name === n)?.type;
    expect(
      find(applySchemaChange(base, { type: 'cast', values: { column: 'id', to: 'string' } }), 'id'),
    ).toBe('string');
    expect(
      find(
        applySchemaChange(base, { type: 'parse_numbers', values: { column: 'price' } }),
        'price',
      ),
    ).toBe('float');
    expect(
      find(
        applySchemaChange(base, { type: 'standardize_dates', values: { column: 'name' } }),
        'name',
      ),
    ).toBe('date');
  });

  it('ignores incomplete steps and never mutates its input', () => {
    const copy = structuredClone(base);
    applySchemaChange(base, { type: 'rename_column', values: { from: 'id', to: '' } });
    applySchemaChange(base, { type: 'cast', values: { column: 'id', to: 'float' } });
    expect(base).toEqual(copy);
    expect(
      names(applySchemaChange(base, { type: 'rename_column', values: { from: 'id', to: ' ' } })),
    ).toEqual(['id', 'name', 'price']);
  });
});
