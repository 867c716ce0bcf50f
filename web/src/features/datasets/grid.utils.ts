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
  if (total <= 0 || viewportHeight <= 0) return { start: 0, end: -1, offsetTop: 0 };
  const vTop = virtualScrollTop(scrollTop, viewportHeight, total, rowHeight, maxPx);
  const first = Math.min(total - 1, Math.floor(vTop / rowHeight));
  const last = Math.min(total - 1, Math.floor((vTop + viewportHeight - 1) / rowHeight));
  const start = Math.max(0, first - overscan);
  const end = Math.min(total - 1, last + overscan);
  // Row `start` sits (start*rowHeight - vTop) px below the viewport top, which is at scrollTop.
  const offsetTop = scrollTop + (start * rowHeight - vTop);
  return { start, end, offsetTop };
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
