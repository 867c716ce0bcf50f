import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { pagesForRange, visibleWindow, type VisibleWindow } from './grid.utils';

/**
 * Tracks a scroll container's scrollTop and body height (one state update per animation
 * frame) and derives the visible row window and the pages to fetch. Page requests are
 * debounced so that dragging the scrollbar through millions of rows does not fire a
 * request per frame; cached pages still render immediately.
 */
export function useGridWindow(
  ref: RefObject<HTMLDivElement | null>,
  total: number,
  rowHeight: number,
  headerHeight: number,
  pageSize: number,
  debounceMs = 90,
): {
  window: VisibleWindow;
  pages: number[];
  viewportHeight: number;
  /** Rows actually in view (no overscan), for the "Rows a–b of n" label. */
  visible: { first: number; last: number };
} {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);
  const frame = useRef<number | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => setViewportHeight(Math.max(0, el.clientHeight - headerHeight));
    measure();
    const onScroll = () => {
      if (frame.current != null) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        setScrollTop(el.scrollTop);
      });
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(measure) : null;
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro?.disconnect();
      if (frame.current != null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [ref, headerHeight]);

  const win = visibleWindow(scrollTop, viewportHeight, total, rowHeight);
  const inView = visibleWindow(scrollTop, viewportHeight, total, rowHeight, 0);
  const wanted = pagesForRange(win.start, win.end, pageSize);
  const wantedKey = wanted.join(',');
  const [pages, setPages] = useState<number[]>(wanted);

  useEffect(() => {
    const next = wantedKey ? wantedKey.split(',').map(Number) : [];
    const t = setTimeout(() => setPages(next), debounceMs);
    return () => clearTimeout(t);
  }, [wantedKey, debounceMs]);

  return {
    window: win,
    pages,
    viewportHeight,
    visible: { first: inView.start, last: Math.max(inView.start, inView.end) },
  };
}
