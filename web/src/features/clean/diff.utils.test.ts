import { describe, expect, it } from 'vitest';
import { buildDiff, formatQualityDelta, formatScore } from './diff.utils';

const preview = {
  before: {
    columns: ['id', 'city', 'status'],
    rows: [
      [2, ' Paris ', 'Paid'],
      [6, 'Lyon', 'unpaid'],
    ],
  },
  after: {
    columns: ['id', 'town', 'status', 'flag'],
    rows: [[2, 'Paris', 'paid', null], null],
  },
  changed_cells: [
    ['town', 'status'],
    ['id', 'town', 'status', 'flag'],
  ],
};

describe('buildDiff', () => {
  it('lines before and after up on one set of columns and marks changed cells', () => {
    const d = buildDiff(preview);
    expect(d.columns.map((c) => [c.name, c.inBefore, c.inAfter, c.changed])).toEqual([
      ['id', true, true, false],
      ['city', true, false, false],
      ['status', true, true, true],
      ['town', false, true, true],
      ['flag', false, true, false],
    ]);
    const [first, removed] = d.rows;
    expect(first?.removed).toBe(false);
    expect(first?.cells.map((c) => c.changed)).toEqual([false, false, true, true, false]);
    expect(first?.cells[2]).toEqual({ before: 'Paid', after: 'paid', changed: true });
    expect(first?.cells[1]).toEqual({ before: ' Paris ', after: undefined, changed: false });
    expect(first?.cells[3]).toEqual({ before: undefined, after: 'Paris', changed: true });
    expect(removed?.removed).toBe(true);
    expect(removed?.cells.every((c) => c.changed)).toBe(true);
  });

  it('compares values when the server sent no changed cells', () => {
    const d = buildDiff({
      before: { columns: ['a', 'b'], rows: [[1, 'x']] },
      after: { columns: ['a', 'b'], rows: [[1, 'y']] },
      changed_cells: undefined as unknown as string[][],
    });
    expect(d.rows[0]?.cells.map((c) => c.changed)).toEqual([false, true]);
  });

  it('can hide the columns nothing changed in', () => {
    const d = buildDiff(preview, { onlyChanged: true });
    expect(d.columns.map((c) => c.name)).toEqual(['city', 'status', 'town', 'flag']);
    expect(d.rows[0]?.cells).toHaveLength(4);
  });
});

describe('quality formatting', () => {
  it('signs the change', () => {
    expect(formatQualityDelta(80, 84.25)).toBe('+4.3');
    expect(formatQualityDelta(80, 79)).toBe('−1.0');
    expect(formatQualityDelta(80, 80)).toBe('±0.0');
    expect(formatQualityDelta(null, 80)).toBe('');
    expect(formatScore(82.44)).toBe('82.4');
    expect(formatScore(null)).toBe('—');
  });
});
