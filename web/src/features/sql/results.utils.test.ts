import { describe, expect, it } from 'vitest';
import { numericColumns } from './results.utils';

describe('numericColumns', () => {
  it('detects numeric columns, skipping nulls', () => {
    const rows = [
      ['a', 1, null, true],
      ['b', 2.5, 3, false],
    ];
    expect(numericColumns(4, rows)).toEqual([false, true, true, false]);
  });
  it('treats all-null and empty columns as not numeric', () => {
    expect(numericColumns(1, [[null]])).toEqual([false]);
    expect(numericColumns(2, [])).toEqual([false, false]);
  });
});
