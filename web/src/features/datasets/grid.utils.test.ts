import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  columnWidth,
  indexColumnWidth,
  isNearby,
  keyScrollTarget,
  MAX_SCROLL_PX,
  maxVirtualTop,
  nextSort,
  pageOf,
  pagesForRange,
  prefetchDepth,
  prefetchPages,
  scrollGeometry,
  scrollTopForRow,
  scrollTopForVirtual,
  virtualScrollTop,
  visibleWindow,
  wheelDelta,
  windowAt,
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

describe('wheel and keys on a scaled scrollbar (virtual pixels)', () => {
  const total = 10_000_000;
  const vh = 512;

  it('maps a virtual offset to scrollTop and back', () => {
    for (const v of [0, 96, 123_456_789, maxVirtualTop(total, vh, 32)]) {
      const st = scrollTopForVirtual(v, vh, total, 32);
      expect(virtualScrollTop(st, vh, total, 32)).toBeCloseTo(v, 3);
    }
    expect(scrollTopForVirtual(maxVirtualTop(total, vh, 32), vh, total, 32)).toBe(
      MAX_SCROLL_PX - vh,
    );
    // Clamped to the ends; unscaled it is the offset itself.
    expect(scrollTopForVirtual(-50, vh, total, 32)).toBe(0);
    expect(scrollTopForVirtual(1e12, vh, total, 32)).toBe(MAX_SCROLL_PX - vh);
    expect(scrollTopForVirtual(320, vh, 1000, 32)).toBe(320);
  });

  it('moves a wheel notch by ~3 rows, not by ~67 (the scaled scrollTop)', () => {
    expect(wheelDelta(100, 0, vh, 32)).toBe(100); // pixels, as if unscaled
    expect(wheelDelta(3, 1, vh, 32)).toBe(96); // Firefox: lines = rows
    expect(wheelDelta(-1, 2, vh, 32)).toBe(-480); // a page: one screen less a row
    const before = windowAt(0, 0, vh, total, 32, 0).start;
    const v = 0 + wheelDelta(100, 0, vh, 32);
    const after = windowAt(v, scrollTopForVirtual(v, vh, total, 32), vh, total, 32, 0).start;
    expect(after - before).toBe(3);
    // The raw element would have moved 100 real px = 100 * (320M / 15M) / 32 ≈ 67 rows.
    expect(Math.floor(virtualScrollTop(100, vh, total, 32) / 32)).toBeGreaterThan(60);
  });

  it('moves one screen on PageDown/PageUp/Space, a row on arrows, to the ends on Home/End', () => {
    const v = 32 * 1000;
    expect(keyScrollTarget('PageDown', false, v, vh, total, 32)).toBe(v + 480);
    expect(keyScrollTarget('PageUp', false, v, vh, total, 32)).toBe(v - 480);
    expect(keyScrollTarget(' ', false, v, vh, total, 32)).toBe(v + 480);
    expect(keyScrollTarget(' ', true, v, vh, total, 32)).toBe(v - 480);
    expect(keyScrollTarget('ArrowDown', false, v, vh, total, 32)).toBe(v + 32);
    expect(keyScrollTarget('ArrowUp', false, v, vh, total, 32)).toBe(v - 32);
    expect(keyScrollTarget('Home', false, v, vh, total, 32)).toBe(0);
    expect(keyScrollTarget('End', false, v, vh, total, 32)).toBe(total * 32 - vh);
    expect(keyScrollTarget('PageUp', false, 100, vh, total, 32)).toBe(0);
    expect(keyScrollTarget('a', false, v, vh, total, 32)).toBeNull();
  });

  it('positions the window for a virtual offset between real pixels', () => {
    const v = 5_000_000 * 32 + 7; // row 5,000,000, scrolled 7 px into it
    const st = 1234.5; // wherever the element is
    const w = windowAt(v, st, vh, total, 32, 0);
    expect(w.start).toBe(5_000_000);
    expect(w.offsetTop).toBe(st - 7);
  });
});

describe('page requests and prefetch', () => {
  it('tells continuous scrolling from jumps', () => {
    expect(isNearby([0], [0, 1])).toBe(true);
    expect(isNearby([5, 6], [8])).toBe(true);
    expect(isNearby([5, 6], [3])).toBe(true);
    expect(isNearby([5], [8])).toBe(false);
    expect(isNearby([0], [25_000])).toBe(false);
    expect(isNearby([], [0])).toBe(false);
  });

  it('warms pages ahead in the scroll direction and one behind', () => {
    expect(prefetchPages([10], 1, 10_000_000, 200)).toEqual([11, 12, 9]);
    expect(prefetchPages([10, 11], -1, 10_000_000, 200)).toEqual([9, 8, 12]);
    expect(prefetchPages([10], 0, 10_000_000, 200, 3, 0)).toEqual([11, 12, 13]);
    // Not past the ends of the data.
    expect(prefetchPages([0], 1, 10_000_000, 200)).toEqual([1, 2]);
    expect(prefetchPages([49_999], 1, 10_000_000, 200)).toEqual([49_998]);
    expect(prefetchPages([0], 1, 150, 200)).toEqual([]);
    expect(prefetchPages([], 1, 1000, 200)).toEqual([]);
  });

  it('looks further ahead the faster the scrolling', () => {
    expect(prefetchDepth(0, 200)).toBe(2);
    expect(prefetchDepth(60, 200)).toBe(2); // a notch every 50 ms
    expect(prefetchDepth(780, 200)).toBe(4); // a trackpad fling
    expect(prefetchDepth(1e6, 200)).toBe(6);
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
