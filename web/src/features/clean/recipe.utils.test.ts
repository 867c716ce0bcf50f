import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import { draftFromOperation, RecipeError } from './operations.utils';
import {
  moveItem,
  parseRecipeJson,
  recipeJson,
  serializeRecipe,
  serverErrorTarget,
} from './recipe.utils';
import type { SimColumn } from './schema.utils';

const schema: SimColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'city', type: 'string' },
];

describe('serializeRecipe', () => {
  it('checks each step against the schema the steps before leave', () => {
    const drafts = [
      draftFromOperation({ type: 'rename_column', from: 'city', to: 'town' }),
      draftFromOperation({ type: 'trim_whitespace', columns: ['city'] }),
      draftFromOperation({ type: 'change_case', column: 'town', case: 'upper' }),
    ];
    const r = serializeRecipe(drafts, schema);
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toEqual({});
    expect(r.errors[1]?.columns).toMatch(/city/);
    expect(r.errors[2]).toEqual({});
    expect(r.schemas.at(-1)?.map((c) => c.name)).toEqual(['id', 'town']);
  });

  it('is not valid when empty', () => {
    expect(serializeRecipe([], schema).valid).toBe(false);
  });
});

describe('recipe JSON', () => {
  const ops = [{ type: 'trim_whitespace' }, { type: 'deduplicate', keep: 'first' }];

  it('reads what Copy recipe writes, a bare list, or one operation', () => {
    expect(parseRecipeJson(recipeJson(ops)).map((d) => d.type)).toEqual([
      'trim_whitespace',
      'deduplicate',
    ]);
    expect(parseRecipeJson(JSON.stringify(ops))).toHaveLength(2);
    expect(parseRecipeJson('{"type":"parse_numbers","column":"x"}')[0]?.values.column).toBe('x');
    expect(
      parseRecipeJson(JSON.stringify({ dataset_id: 'd', version: 3, operations: ops })),
    ).toHaveLength(2);
  });

  it('explains what it cannot read', () => {
    expect(() => parseRecipeJson('{oops')).toThrow('This is not valid JSON.');
    expect(() => parseRecipeJson('{"operations":[]}')).toThrow(/no operations/);
    expect(() => parseRecipeJson('"x"')).toThrow(RecipeError);
    expect(() => parseRecipeJson('[{"type":"trim_whitespace"},{"type":"zap"}]')).toThrow(
      /Operation 2 has an unknown type "zap"/,
    );
  });
});

describe('serverErrorTarget', () => {
  const err = (details: Record<string, unknown>, status = 400) =>
    new ApiError({ status, code: 'VALIDATION_ERROR', message: 'bad', details });

  it('maps details.index and details.field to a step', () => {
    expect(serverErrorTarget(err({ index: 1, field: 'to' }), 3)).toEqual({ index: 1, field: 'to' });
    expect(serverErrorTarget(err({ index: 0 }), 1)).toEqual({ index: 0, field: null });
    expect(serverErrorTarget(err({ index: '2', field: 'columns' }), 3)).toEqual({
      index: 2,
      field: 'columns',
    });
  });

  it('ignores errors that name no step it sent', () => {
    expect(serverErrorTarget(err({ index: 5, field: 'to' }), 3)).toBeNull();
    expect(serverErrorTarget(err({ field: 'operations' }), 3)).toBeNull();
    expect(serverErrorTarget(new Error('x'), 3)).toBeNull();
    expect(serverErrorTarget(err({ index: -1 }), 3)).toBeNull();
  });
});

describe('moveItem', () => {
  it('moves and clamps', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b', 'c'], 2, 9)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });
});
