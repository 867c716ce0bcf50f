import { describe, expect, it } from 'vitest';
import type { DatasetVersion, HistoryStep } from '../../api/types';
import { buildTimeline, personLabel } from './timeline.utils';

const version = (
  v: number,
  parent: number | null,
  at: string,
  ops: DatasetVersion['operations'] = [],
): DatasetVersion => ({
  version: v,
  parent_version: parent,
  row_count: 10 - v,
  column_count: 4,
  quality_score: 70 + v,
  operations: ops,
  created_at: at,
  created_by: 'u1',
});

const step = (over: Partial<HistoryStep>): HistoryStep => ({
  id: 's',
  kind: 'clean',
  version: 2,
  parent_version: 1,
  op_index: 0,
  operation: { type: 'trim_whitespace' },
  rows_before: 9,
  rows_after: 9,
  affected_rows: 1,
  quality_before: 71,
  quality_after: 72,
  message: 'tidy',
  created_by: 'u1',
  created_at: '2025-01-02T00:00:00Z',
  ...over,
});

describe('buildTimeline', () => {
  it('lists versions with their steps and restores, newest first, and marks the head', () => {
    const entries = buildTimeline(
      [
        version(1, null, '2025-01-01T00:00:00Z', [{ type: 'ingest' }]),
        version(2, 1, '2025-01-02T00:00:00Z'),
      ],
      [
        step({ id: 'b', op_index: 1, operation: { type: 'deduplicate' } }),
        step({ id: 'a', op_index: 0 }),
        step({
          id: 'r',
          kind: 'restore',
          version: 1,
          parent_version: 2,
          operation: null,
          created_at: '2025-01-03T00:00:00Z',
        }),
      ],
      1,
    );
    expect(entries.map((e) => e.key)).toEqual(['rr', 'v2', 'v1']);
    const [restore, v2, v1] = entries;
    expect(restore).toMatchObject({ kind: 'restore', version: 1, from: 2 });
    expect(v2).toMatchObject({
      kind: 'version',
      isHead: false,
      message: 'tidy',
      qualityBefore: 71,
    });
    if (v2?.kind !== 'version' || v1?.kind !== 'version') throw new Error('expected versions');
    expect(v2.steps.map((s) => s.id)).toEqual(['a', 'b']);
    expect(v1.isHead).toBe(true);
    expect(v1.operations).toEqual([]); // the ingest step is not a cleaning step
  });

  it('shows the operations of a version the history does not cover', () => {
    const [v2] = buildTimeline(
      [version(2, 1, '2025-01-02T00:00:00Z', [{ type: 'trim_whitespace' }])],
      [],
      2,
    );
    expect(v2).toMatchObject({
      isHead: true,
      operations: [{ type: 'trim_whitespace' }],
      steps: [],
    });
  });
});

describe('personLabel', () => {
  it('names people', () => {
    const names = new Map([['u2', 'Bo']]);
    expect(personLabel('u1', 'u1', names)).toBe('you');
    expect(personLabel('u2', 'u1', names)).toBe('Bo');
    expect(personLabel('0123456789abcdef', 'u1', names)).toBe('user 01234567');
    expect(personLabel(null, 'u1', names)).toBe('someone');
  });
});
