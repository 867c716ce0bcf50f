import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  columnWidth,
  indexColumnWidth,
  MAX_SCROLL_PX,
  nextSort,
  pageOf,
  pagesForRange,
  scrollGeometry,
  scrollTopForRow,
  virtualScrollTop,
  visibleWindow,
} from './grid.utils';

describe('scroll geometry', () => {
  it('uses the real height when it fits', () => {
    expect(scrollGeometry(1000, 32)).toEqual({ contentHeight: 32_000, scaled: false });
  });

  it('caps and scales beyond the browser limit (10 million rows)', () => {
    const g = scrollGeometry(10_000_000, 32);
    expect(g).toEqual({ contentHeight: MAX_SCROLL_PX, scaled: true });
  });

  it('maps the scrollbar ends onto the first and last rows when scaled', () => {
    const total = 10_000_000;
    const vh = 640;
    expect(virtualScrollTop(0, vh, total, 32)).toBe(0);
    const bottom = virtualScrollTop(MAX_SCROLL_PX - vh, vh, total, 32);
    expect(bottom).toBe(total * 32 - vh);
    const w = visibleWindow(MAX_SCROLL_PX - vh, vh, total, 32, 0);
    expect(w.end).toBe(total - 1);
    expect(w.start).toBe(total - 20);
  });

  it('positions the window relative to scrollTop when scaled', () => {
    const total = 10_000_000;
    const vh = 640;
    const scrollTop = 7_000_000;
    const w = visibleWindow(scrollTop, vh, total, 32, 0);
    const vTop = virtualScrollTop(scrollTop, vh, total, 32);
    expect(w.start).toBe(Math.floor(vTop / 32));
    // The first rendered row straddles the viewport top.
    expect(w.offsetTop).toBeLessThanOrEqual(scrollTop);
    expect(w.offsetTop).toBeGreaterThan(scrollTop - 32);
  });

  it('renders visible rows plus overscan when unscaled', () => {
    const w = visibleWindow(3200, 320, 1000, 32, 5);
    expect(w).toEqual({ start: 95, end: 114, offsetTop: 95 * 32 });
  });

  it('handles empty and tiny datasets', () => {
    expect(visibleWindow(0, 500, 0)).toEqual({ start: 0, end: -1, offsetTop: 0 });
    expect(visibleWindow(0, 500, 3, 32, 8)).toEqual({ start: 0, end: 2, offsetTop: 0 });
  });

  it('finds the scrollTop for a row, inverse of the window', () => {
    const total = 10_000_000;
    const top = scrollTopForRow(5_000_000, 640, total, 32);
    expect(visibleWindow(top, 640, total, 32, 0).start).toBeGreaterThanOrEqual(4_999_999);
    expect(scrollTopForRow(10, 640, 100, 32)).toBe(320);
  });
});

describe('pages', () => {
  it('lists the pages covering a row range', () => {
    expect(pagesForRange(0, 30, 200)).toEqual([0]);
    expect(pagesForRange(190, 230, 200)).toEqual([0, 1]);
    expect(pagesForRange(9_999_980, 9_999_999, 200)).toEqual([49_999]);
    expect(pagesForRange(5, 4, 200)).toEqual([]);
  });

  it('locates a row in its page', () => {
    expect(pageOf(0, 200)).toEqual({ page: 0, index: 0 });
    expect(pageOf(401, 200)).toEqual({ page: 2, index: 1 });
  });
});

describe('sorting', () => {
  it('cycles asc, desc, none and restarts on another column', () => {
    let s = nextSort(null, 'a');
    expect(s).toEqual({ column: 'a', direction: 'asc' });
    s = nextSort(s, 'a');
    expect(s).toEqual({ column: 'a', direction: 'desc' });
    expect(nextSort(s, 'a')).toBeNull();
    expect(nextSort(s, 'b')).toEqual({ column: 'b', direction: 'asc' });
  });

  it('reports aria-sort', () => {
    expect(ariaSort({ column: 'a', direction: 'desc' }, 'a')).toBe('descending');
    expect(ariaSort({ column: 'a', direction: 'desc' }, 'b')).toBe('none');
  });

  it('sizes the row-number column for the largest row number', () => {
    expect(indexColumnWidth(50)).toBe(56);
    expect(indexColumnWidth(10_000_000)).toBe(88);
  });

  it('sizes columns within bounds', () => {
    expect(columnWidth('id', 'integer')).toBe(130);
    expect(columnWidth('x'.repeat(100), 'string')).toBe(320);
  });
});
