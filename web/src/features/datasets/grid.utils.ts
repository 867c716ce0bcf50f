/**
 * Pure math for the virtual data grid. Rows are fixed height. The scroll container cannot
 * be taller than browsers allow (~15M px in Firefox, ~33M in Chrome), so past MAX_SCROLL_PX
 * the scrollbar is scaled: scroll position maps linearly onto the virtual row space and the
 * visible rows are positioned relative to the current scrollTop.
 */

export const ROW_HEIGHT = 32;
export const PAGE_SIZE = 200;
export const MAX_SCROLL_PX = 15_000_000;

export interface ScrollGeometry {
  /** Height of the scrollable content element, in px. */
  contentHeight: number;
  /** True when the scrollbar is compressed. */
  scaled: boolean;
}

export function scrollGeometry(
  total: number,
  rowHeight = ROW_HEIGHT,
  maxPx = MAX_SCROLL_PX,
): ScrollGeometry {
  const virtual = Math.max(0, total) * rowHeight;
  return virtual > maxPx
    ? { contentHeight: maxPx, scaled: true }
    : { contentHeight: virtual, scaled: false };
}

export interface VisibleWindow {
  /** First and last (inclusive) row indexes to render, with overscan. */
  start: number;
  end: number;
  /** Top of row `start`, in px, inside the content element. */
  offsetTop: number;
}

/** Virtual (unscaled) pixel offset of the viewport top for a real scrollTop. */
export function virtualScrollTop(
  scrollTop: number,
  viewportHeight: number,
  total: number,
  rowHeight = ROW_HEIGHT,
  maxPx = MAX_SCROLL_PX,
): number {
  const { contentHeight, scaled } = scrollGeometry(total, rowHeight, maxPx);
  if (!scaled) return scrollTop;
  const realRange = Math.max(1, contentHeight - viewportHeight);
  const virtualRange = Math.max(0, total * rowHeight - viewportHeight);
  const fraction = Math.min(1, Math.max(0, scrollTop / realRange));
  return fraction * virtualRange;
}

export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  total: number,
  rowHeight = ROW_HEIGHT,
  overscan = 8,
  maxPx = MAX_SCROLL_PX,
): VisibleWindow {
  const vTop = virtualScrollTop(scrollTop, viewportHeight, total, rowHeight, maxPx);
  return windowAt(vTop, scrollTop, viewportHeight, total, rowHeight, overscan);
}

/**
 * The row window for a virtual offset `vTop` while the element is at `scrollTop`. When the
 * scrollbar is scaled, wheel and keys move `vTop` by virtual pixels (see useGridWindow), so
 * it can sit a fraction of a real pixel away from what `scrollTop` alone maps to.
 */
export function windowAt(
  vTop: number,
  scrollTop: number,
  viewportHeight: number,
  total: number,
  rowHeight = ROW_HEIGHT,
  overscan = 8,
): VisibleWindow {
  if (total <= 0 || viewportHeight <= 0) return { start: 0, end: -1, offsetTop: 0 };
  const first = Math.min(total - 1, Math.floor(vTop / rowHeight));
  const last = Math.min(total - 1, Math.floor((vTop + viewportHeight - 1) / rowHeight));
  const start = Math.max(0, first - overscan);
  const end = Math.min(total - 1, last + overscan);
  // Row `start` sits (start*rowHeight - vTop) px below the viewport top, which is at scrollTop.
  const offsetTop = scrollTop + (start * rowHeight - vTop);
  return { start, end, offsetTop };
}

/** Largest virtual offset: the last row at the bottom of the viewport. */
export function maxVirtualTop(total: number, viewportHeight: number, rowHeight = ROW_HEIGHT) {
  return Math.max(0, total * rowHeight - viewportHeight);
}

/** The real scrollTop for a virtual offset (the inverse of virtualScrollTop). */
export function scrollTopForVirtual(
  vTop: number,
  viewportHeight: number,
  total: number,
  rowHeight = ROW_HEIGHT,
  maxPx = MAX_SCROLL_PX,
): number {
  const { contentHeight, scaled } = scrollGeometry(total, rowHeight, maxPx);
  const v = Math.min(Math.max(0, vTop), maxVirtualTop(total, viewportHeight, rowHeight));
  if (!scaled) return v;
  const virtualRange = Math.max(1, total * rowHeight - viewportHeight);
  return (v / virtualRange) * Math.max(0, contentHeight - viewportHeight);
}

/**
 * Virtual pixels a wheel event moves. Pixel deltas are taken as they are (a notch of
 * 100 px ≈ 3 rows, as without scaling); line deltas (Firefox) count one row a line; page
 * deltas one viewport.
 */
export function wheelDelta(
  deltaY: number,
  deltaMode: number,
  viewportHeight: number,
  rowHeight = ROW_HEIGHT,
): number {
  if (deltaMode === 1) return deltaY * rowHeight;
  if (deltaMode === 2) return deltaY * Math.max(rowHeight, viewportHeight - rowHeight);
  return deltaY;
}

/**
 * The virtual offset a scrolling key leads to from `vTop` (PageUp/PageDown and Space move
 * one screen less a row, arrows one row, Home/End to the ends), or null for other keys.
 */
export function keyScrollTarget(
  key: string,
  shiftKey: boolean,
  vTop: number,
  viewportHeight: number,
  total: number,
  rowHeight = ROW_HEIGHT,
): number | null {
  const page = Math.max(rowHeight, viewportHeight - rowHeight);
  const max = maxVirtualTop(total, viewportHeight, rowHeight);
  let next: number;
  switch (key) {
    case 'PageDown':
      next = vTop + page;
      break;
    case 'PageUp':
      next = vTop - page;
      break;
    case ' ':
      next = vTop + (shiftKey ? -page : page);
      break;
    case 'ArrowDown':
      next = vTop + rowHeight;
      break;
    case 'ArrowUp':
      next = vTop - rowHeight;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = max;
      break;
    default:
      return null;
  }
  return Math.min(max, Math.max(0, next));
}

/** Pages (by index) covering rows start..end inclusive. */
export function pagesForRange(start: number, end: number, pageSize = PAGE_SIZE): number[] {
  if (end < start) return [];
  const first = Math.floor(start / pageSize);
  const last = Math.floor(end / pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p += 1) pages.push(p);
  return pages;
}

export function pageOf(row: number, pageSize = PAGE_SIZE): { page: number; index: number } {
  return { page: Math.floor(row / pageSize), index: row % pageSize };
}

/**
 * True when moving from the pages `from` to the pages `to` is continuous scrolling (every
 * new page within `slack` pages of the old ones) rather than a jump across the data.
 */
export function isNearby(from: readonly number[], to: readonly number[], slack = 2): boolean {
  if (from.length === 0 || to.length === 0) return to.length === 0;
  const lo = Math.min(...from) - slack;
  const hi = Math.max(...from) + slack;
  return to.every((p) => p >= lo && p <= hi);
}

/**
 * Pages to load ahead of the window, nearest first: `ahead` pages in the scroll direction
 * (down when it is unknown) and `behind` pages the other way, within the data and not
 * already in `windowPages`.
 */
export function prefetchPages(
  windowPages: readonly number[],
  direction: number,
  total: number,
  pageSize = PAGE_SIZE,
  ahead = 2,
  behind = 1,
): number[] {
  if (windowPages.length === 0 || total <= 0) return [];
  const lastPage = Math.floor((total - 1) / pageSize);
  const lo = Math.min(...windowPages);
  const hi = Math.max(...windowPages);
  const up = direction < 0;
  const out: number[] = [];
  const add = (p: number) => {
    if (p >= 0 && p <= lastPage && !windowPages.includes(p) && !out.includes(p)) out.push(p);
  };
  for (let i = 1; i <= ahead; i += 1) add(up ? lo - i : hi + i);
  for (let i = 1; i <= behind; i += 1) add(up ? hi + i : lo - i);
  return out;
}

/**
 * How many pages to keep loaded ahead when scrolling at `rowsPerSecond`: enough for
 * `leadMs` of motion (a page request can take that long on a busy server), at least `min`.
 */
export function prefetchDepth(
  rowsPerSecond: number,
  pageSize = PAGE_SIZE,
  leadMs = 1000,
  min = 2,
  max = 6,
): number {
  const rows = (Math.max(0, rowsPerSecond) * leadMs) / 1000;
  return Math.min(max, Math.max(min, Math.ceil(rows / pageSize)));
}

/** The real scrollTop that brings a row to the top of the viewport. */
export function scrollTopForRow(
  row: number,
  viewportHeight: number,
  total: number,
  rowHeight = ROW_HEIGHT,
  maxPx = MAX_SCROLL_PX,
): number {
  const { contentHeight, scaled } = scrollGeometry(total, rowHeight, maxPx);
  const vTop = row * rowHeight;
  if (!scaled) return vTop;
  const virtualRange = Math.max(1, total * rowHeight - viewportHeight);
  return (
    (Math.min(vTop, virtualRange) / virtualRange) * Math.max(0, contentHeight - viewportHeight)
  );
}

export type SortState = { column: string; direction: 'asc' | 'desc' } | null;

/** Header click cycles a column: none -> asc -> desc -> none; another column starts at asc. */
export function nextSort(current: SortState, column: string): SortState {
  if (!current || current.column !== column) return { column, direction: 'asc' };
  if (current.direction === 'asc') return { column, direction: 'desc' };
  return null;
}

export function ariaSort(current: SortState, column: string): 'ascending' | 'descending' | 'none' {
  if (!current || current.column !== column) return 'none';
  return current.direction === 'asc' ? 'ascending' : 'descending';
}

/** Column width from the header name and type, clamped to a readable range. */
export function columnWidth(name: string, type: string): number {
  const base = type === 'string' ? 180 : type === 'timestamp' ? 190 : 130;
  return Math.min(320, Math.max(base, name.length * 8 + 72));
}

/** Width of the row-number column: wide enough for the largest row number. */
export function indexColumnWidth(total: number): number {
  const digits = String(Math.max(1, total)).length;
  return Math.max(56, digits * 8 + 24);
}
