import { describe, expect, it } from 'vitest';
import {
  alertCountByColumn,
  correlationCells,
  groupAlerts,
  histogramData,
  scoreLabel,
  scoreTone,
  severityGroup,
  toPercentScore,
} from './profile.utils';

describe('profile helpers', () => {
  it('groups alerts by severity in a fixed order', () => {
    const groups = groupAlerts([
      { kind: 'nulls', message: 'a', severity: 'info', column: 'x' },
      { kind: 'dupes', message: 'b', severity: 'critical' },
      { kind: 'skew', message: 'c', severity: 'medium', column: 'y' },
      { kind: 'nulls', message: 'd', severity: 'high', column: 'x' },
    ]);
    expect(groups.map((g) => [g.group, g.alerts.length])).toEqual([
      ['critical', 2],
      ['warning', 1],
      ['info', 1],
    ]);
    expect(severityGroup('LOW')).toBe('info');
  });

  it('counts alerts per column', () => {
    const m = alertCountByColumn([
      { kind: 'a', message: '', severity: 'info', column: 'x' },
      { kind: 'b', message: '', severity: 'info', column: 'x' },
      { kind: 'c', message: '', severity: 'info' },
    ]);
    expect(m.get('x')).toBe(2);
    expect(m.size).toBe(1);
  });

  it('classifies scores', () => {
    expect(scoreTone(92)).toBe('good');
    expect(scoreTone(70)).toBe('fair');
    expect(scoreTone(20)).toBe('poor');
    expect(scoreLabel(20)).toBe('Needs attention');
  });

  it('normalises 0-1 and 0-100 scores', () => {
    expect(toPercentScore(0.876)).toBe(87.6);
    expect(toPercentScore(87.6)).toBe(87.6);
    expect(toPercentScore(1)).toBe(1);
    expect(toPercentScore(null)).toBeNull();
  });

  it('turns histograms and correlation matrices into chart rows', () => {
    expect(histogramData({ edges: [0, 1, 2], counts: [3, 4] })).toEqual([
      { bin: 0, bin_end: 1, count: 3 },
      { bin: 1, bin_end: 2, count: 4 },
    ]);
    expect(histogramData({ edges: [0], counts: [3] })).toEqual([]);
    expect(
      correlationCells({
        method: 'pearson',
        columns: ['a', 'b'],
        matrix: [
          [1, 0.5],
          [0.5, null],
        ],
      }),
    ).toEqual([
      { x: 'a', y: 'a', r: 1 },
      { x: 'b', y: 'a', r: 0.5 },
      { x: 'a', y: 'b', r: 0.5 },
    ]);
  });
});
