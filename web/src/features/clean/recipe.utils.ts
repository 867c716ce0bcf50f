import { ApiError } from '../../api/errors';
import type { CleanOperation } from '../../api/types';
import {
  draftFromOperation,
  hasErrors,
  RecipeError,
  serializeDraft,
  type FieldErrors,
  type OperationDraft,
} from './operations.utils';
import { schemaSteps, type SimColumn, type SimSchema } from './schema.utils';

export interface RecipeState {
  operations: CleanOperation[];
  /** errors[i] are the client-side problems of step i. */
  errors: FieldErrors[];
  /** schemas[i] is what step i sees; schemas[n] is the result. */
  schemas: SimColumn[][];
  valid: boolean;
}

/** Serialises the builder's steps, each checked against the schema the steps before leave. */
export function serializeRecipe(
  drafts: readonly OperationDraft[],
  initial: SimSchema,
): RecipeState {
  const schemas = schemaSteps(initial, drafts);
  const results = drafts.map((d, i) => serializeDraft(d, schemas[i] ?? []));
  const errors = results.map((r) => r.errors);
  return {
    operations: results.map((r) => r.operation),
    errors,
    schemas,
    valid: drafts.length > 0 && !errors.some(hasErrors),
  };
}

/**
 * Reads pasted recipe JSON: `[op, ...]`, `{"operations": [...]}` (what Copy recipe writes)
 * or one operation object. Throws RecipeError with a message for the person.
 */
export function parseRecipeJson(text: string): OperationDraft[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RecipeError('This is not valid JSON.');
  }
  let ops: unknown = parsed;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>;
    ops = 'operations' in o ? o.operations : 'type' in o ? [o] : null;
  }
  if (!Array.isArray(ops)) {
    throw new RecipeError('Expected a list of operations or an object with "operations".');
  }
  if (ops.length === 0) throw new RecipeError('The recipe has no operations.');
  return ops.map((op, i) => draftFromOperation(op, i));
}

/** The JSON "Copy recipe" puts on the clipboard. */
export function recipeJson(operations: readonly CleanOperation[]): string {
  return JSON.stringify({ operations }, null, 2);
}

export interface ErrorTarget {
  index: number;
  field: string | null;
}

/**
 * Where a server validation error points: details {"index": i, "field": name} name the
 * failing operation (of the `count` sent) and parameter. Null when it names no operation.
 */
export function serverErrorTarget(error: unknown, count: number): ErrorTarget | null {
  if (!(error instanceof ApiError)) return null;
  const { index, field } = error.details;
  const i = typeof index === 'number' ? index : typeof index === 'string' ? Number(index) : NaN;
  if (!Number.isInteger(i) || i < 0 || i >= count) return null;
  return { index: i, field: typeof field === 'string' && field ? field : null };
}

/** The list with item `from` moved to position `to` (clamped); the same list if no move. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from < 0 || from >= items.length || from === target) return [...items];
  const out = [...items];
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item as T);
  return out;
}
