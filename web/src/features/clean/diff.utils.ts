import type { Cell, CleanPreview } from '../../api/types';

export interface DiffColumn {
  name: string;
  /** False for a column the operations added. */
  inBefore: boolean;
  /** False for a column the operations dropped (or renamed away). */
  inAfter: boolean;
  /** Some shown row changed this column. */
  changed: boolean;
}

export interface DiffCell {
  /** undefined: the column does not exist on that side. */
  before: Cell | undefined;
  after: Cell | undefined;
  changed: boolean;
}

export interface DiffRow {
  /** Position in the preview (not in the dataset). */
  index: number;
  removed: boolean;
  cells: DiffCell[];
}

export interface Diff {
  columns: DiffColumn[];
  rows: DiffRow[];
}

function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  return (
    a === b ||
    (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b))
  );
}

/**
 * Lines the preview's before and after rows up on one set of columns (before's columns in
 * order, then the new ones) and marks changed cells: from the server's changed_cells when
 * present, else by comparing values. A removed row (after = null) is changed throughout.
 */
export function buildDiff(
  preview: Pick<CleanPreview, 'before' | 'after' | 'changed_cells'>,
  { onlyChanged = false }: { onlyChanged?: boolean } = {},
): Diff {
  const beforeCols = preview.before.columns;
  const afterCols = preview.after.columns;
  const beforeIdx = new Map(beforeCols.map((c, i) => [c, i]));
  const afterIdx = new Map(afterCols.map((c, i) => [c, i]));
  const names = [...beforeCols, ...afterCols.filter((c) => !beforeIdx.has(c))];
  const changedAnywhere = new Set<string>();

  const rows: DiffRow[] = preview.before.rows.map((beforeRow, index) => {
    const afterRow = preview.after.rows[index] ?? null;
    const removed = afterRow === null;
    const marked = preview.changed_cells?.[index];
    const markedSet = marked ? new Set(marked) : null;
    const cells = names.map((name) => {
      const bi = beforeIdx.get(name);
      const ai = afterIdx.get(name);
      const before = bi === undefined || !beforeRow ? undefined : (beforeRow[bi] ?? null);
      const after = ai === undefined || removed ? undefined : (afterRow[ai] ?? null);
      let changed: boolean;
      if (removed) changed = true;
      else if (ai === undefined)
        changed = false; // dropped column: shown by its header
      else if (markedSet) changed = markedSet.has(name);
      else changed = bi === undefined ? after !== null : !sameCell(before, after);
      if (changed && !removed) changedAnywhere.add(name);
      return { before, after, changed };
    });
    return { index, removed, cells };
  });

  const columns: DiffColumn[] = names.map((name) => ({
    name,
    inBefore: beforeIdx.has(name),
    inAfter: afterIdx.has(name),
    changed: changedAnywhere.has(name),
  }));
  if (!onlyChanged) return { columns, rows };
  const keep = columns.map((c) => c.changed || !c.inBefore || !c.inAfter);
  if (!keep.some(Boolean)) return { columns, rows };
  return {
    columns: columns.filter((_, i) => keep[i]),
    rows: rows.map((r) => ({ ...r, cells: r.cells.filter((_, i) => keep[i]) })),
  };
}

/** "+4.2" / "-1.0" / "±0.0" for a quality change (scores 0..100). */
export function formatQualityDelta(before: number | null, after: number | null): string {
  if (before == null || after == null || !Number.isFinite(before) || !Number.isFinite(after)) {
    return '';
  }
  const d = Math.round((after - before) * 10) / 10;
  if (d === 0) return '±0.0';
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`;
}

export function formatScore(score: number | null | undefined): string {
  return score == null || !Number.isFinite(score) ? '—' : score.toFixed(1);
}
