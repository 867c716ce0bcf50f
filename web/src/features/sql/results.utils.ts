import type { Cell } from '../../api/types';

/** A column is numeric when its first non-null values (up to `sample`) are all numbers. */
export function numericColumns(count: number, rows: readonly Cell[][], sample = 50): boolean[] {
  const out: boolean[] = [];
  for (let c = 0; c < count; c += 1) {
    let seen = 0;
    let numeric = true;
    for (let r = 0; r < rows.length && seen < sample; r += 1) {
      const v = rows[r]?.[c];
      if (v === null || v === undefined) continue;
      seen += 1;
      if (typeof v !== 'number') {
        numeric = false;
        break;
      }
    }
    out.push(numeric && seen > 0);
  }
  return out;
}
