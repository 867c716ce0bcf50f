import { describe, expect, it } from 'vitest';
import { histogramBars, nullShare } from './histogram.utils';

describe('histogramBars', () => {
  it('scales the tallest bar to the full height', () => {
    const bars = histogramBars([1, 2, 4], 30, 20, 0);
    expect(bars.map((b) => b.height)).toEqual([5, 10, 20]);
    expect(bars.map((b) => b.x)).toEqual([0, 10, 20]);
    expect(bars[2]?.y).toBe(0);
  });

  it('keeps tiny non-zero bins visible and zero bins empty', () => {
    const bars = histogramBars([1000, 1, 0], 30, 20);
    expect(bars[1]?.height).toBe(1);
    expect(bars[2]?.height).toBe(0);
  });

  it('handles empty, all-zero and invalid input', () => {
    expect(histogramBars([], 30, 20)).toEqual([]);
    expect(histogramBars([0, 0], 30, 20).every((b) => b.height === 0)).toBe(true);
    expect(histogramBars([NaN, 2], 30, 20)[0]?.height).toBe(0);
  });
});

describe('nullShare', () => {
  it('divides nulls by count', () => {
    expect(nullShare(25, 100)).toBe(0.25);
    expect(nullShare(0, 100)).toBe(0);
    expect(nullShare(5, 0)).toBe(0);
    expect(nullShare(null, undefined)).toBe(0);
  });
});
