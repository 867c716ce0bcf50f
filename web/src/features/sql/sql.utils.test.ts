import { describe, expect, it } from 'vitest';
import { canRun, isRunShortcut, resultSummary } from './sql.utils';

describe('sql helpers', () => {
  it('runs on Ctrl+Enter or Cmd+Enter only', () => {
    expect(isRunShortcut({ key: 'Enter', ctrlKey: true, metaKey: false })).toBe(true);
    expect(isRunShortcut({ key: 'Enter', ctrlKey: false, metaKey: true })).toBe(true);
    expect(isRunShortcut({ key: 'Enter', ctrlKey: false, metaKey: false })).toBe(false);
    expect(isRunShortcut({ key: 'a', ctrlKey: true, metaKey: false })).toBe(false);
  });

  it('refuses blank SQL', () => {
    expect(canRun('  \n')).toBe(false);
    expect(canRun('SELECT 1')).toBe(true);
  });

  it('summarises results', () => {
    expect(resultSummary(1, false, 12.4)).toBe('1 row in 12 ms');
    expect(resultSummary(10000, true, 1500)).toBe(
      '10,000 rows in 1.50 s — truncated; add a LIMIT or aggregate to see everything',
    );
    expect(resultSummary(0, false, null)).toBe('0 rows');
  });
});
