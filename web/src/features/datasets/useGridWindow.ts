import {
  startTransition,
  useCallback,
  useLayoutEffect,
  useRef,
  useState,
  type RefObject,
} from 'react';
import { flushSync } from 'react-dom';
import { afterNextPaint } from '../../ui/afterPaint';
import { LatestWins } from './latestWins.utils';
import {
  isNearby,
  keyScrollTarget,
  maxVirtualTop,
  pagesForRange,
  prefetchDepth,
  prefetchPages,
  scrollGeometry,
  scrollTopForVirtual,
  virtualScrollTop,
  wheelDelta,
  windowAt,
  type VisibleWindow,
} from './grid.utils';

/** Far jumps closer together than this are one gesture (a scrollbar drag): debounced. */
const BURST_MS = 250;

export interface GridWindowOptions {
  /** Wait after the last of a burst of far jumps before its pages are requested. */
  debounceMs?: number;
  /** Whether a page is in the cache already (cached pages are never debounced). */
  isLoaded?: (page: number) => boolean;
  /**
   * Called with the pages of a far jump (or of a drag's pause or release) as soon as they
   * are decided — before the placeholders render — so their requests start first.
   */
  onJump?: (pages: number[]) => void;
  /**
   * Loads the pages of a position the scrollbar thumb is being dragged through (one request;
   * `signal` aborts it). One load at a time, for the latest position (see LatestWins): while
   * the thumb moves, the grid shows the rows of the latest position that has arrived instead
   * of placeholders. Without it a drag loads nothing until it pauses or is let go.
   */
  loadWhileDragging?: (pages: number[], signal: AbortSignal) => Promise<unknown>;
}

export interface GridWindow {
  window: VisibleWindow;
  /** Pages of the rendered window (rows in view plus overscan) to fetch. */
  pages: number[];
  /** Pages holding the rows actually in view: fetched before anything else. */
  needed: number[];
  /** Pages to warm once the window is loaded, nearest first, in the scroll direction. */
  prefetch: number[];
  viewportHeight: number;
  /** Rows actually in view (no overscan), for the "Rows a–b of n" label. */
  visible: { first: number; last: number };
  /** Scrolls so that a (0-based) row is at the top of the viewport. */
  scrollToRow: (row: number) => void;
}

/** A position a drag went through, and the pages of its window. */
interface DragTarget {
  vTop: number;
  pages: number[];
}

interface Published {
  vTop: number;
  /**
   * The virtual offset of the rows shown: vTop, except while a drag waits for the rows under
   * the thumb (then the latest dragged-through position whose rows have arrived).
   */
  shownVTop: number;
  /** A drag waits for the rows under the thumb (see Live.holding). */
  holding: boolean;
  scrollTop: number;
  pages: number[];
  direction: number;
  /** Pages to warm ahead of the window and behind it (none while jumping around). */
  ahead: number;
  behind: number;
}

interface Live extends Published {
  prevVTop: number;
  prevAt: number;
  /** Rows per second, smoothed. */
  speed: number;
  farAt: number;
  /** Jumping (a drag, a jump): nothing is warmed until it settles. */
  jumping: boolean;
  /** The scrollbar thumb is held: pages are committed at a pause or the release. */
  dragging: boolean;
  /**
   * A drag (or a burst of far jumps) is under way and its pages are not committed yet: the
   * rows shown may be those of an earlier position (shownVTop) until the current ones arrive.
   */
  holding: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  settle: ReturnType<typeof setTimeout> | null;
}

/**
 * Tracks the grid's scroll position and derives the visible row window and the pages to
 * fetch.
 *
 * The position is kept as a *virtual* offset (row index × row height). Without scaling it
 * is scrollTop. With the scrollbar scaled (more rows than a browser can make tall), one
 * real pixel covers many rows, so wheel and scrolling keys are taken over and move the
 * virtual offset as if the grid were unscaled (a wheel notch ≈ 3 rows, PageDown one
 * screen); scrollTop follows, and a scrollbar drag or a jump (scrollTop changed by anything
 * else) sets the virtual offset from scrollTop again.
 *
 * Page requests: continuous scrolling (new pages next to the ones shown) and cached pages
 * switch at once; a jump far away is requested at once too (through `onJump`, before the
 * placeholders render). A burst of them (dragging the scrollbar through millions of rows) is
 * not a request per frame: the rows under the thumb are loaded one request at a time, for the
 * latest position (`loadWhileDragging`, LatestWins), and until they arrive the last rows that
 * did stay on screen instead of placeholders; the pages are committed when the drag pauses or
 * is let go (then at once, a load for elsewhere aborted). Neighbouring pages are warmed (see
 * prefetchPages) only while scrolling, not while jumping around.
 */
export function useGridWindow(
  ref: RefObject<HTMLDivElement | null>,
  total: number,
  rowHeight: number,
  headerHeight: number,
  pageSize: number,
  options: GridWindowOptions = {},
): GridWindow {
  const debounceMs = options.debounceMs ?? 90;
  const [viewportHeight, setViewportHeight] = useState(600);
  // The first render (before the first paint) draws the rows in view only: the overscan rows
  // come with the first measurement, after that paint.
  const [overscan, setOverscan] = useState<number | undefined>(0);
  const [pos, setPos] = useState<Published>(() => ({
    vTop: 0,
    shownVTop: 0,
    holding: false,
    scrollTop: 0,
    pages: initialPages(total, rowHeight, pageSize),
    direction: 1,
    ahead: 2,
    behind: 1,
  }));
  const live = useRef<Live>({
    ...pos,
    prevVTop: 0,
    prevAt: 0,
    speed: 0,
    farAt: -Infinity,
    jumping: false,
    dragging: false,
    holding: false,
    timer: null,
    settle: null,
  });
  const geom = useRef({
    total,
    rowHeight,
    pageSize,
    viewportHeight,
    debounceMs,
    isLoaded: options.isLoaded,
    onJump: options.onJump,
    loadWhileDragging: options.loadWhileDragging,
  });
  const dragLoader = useRef<LatestWins<DragTarget> | null>(null);

  const publish = useCallback(() => {
    const l = live.current;
    const g = geom.current;
    // While a drag waits for its rows, the last rows that arrived stay on screen.
    if (!l.holding || !g.isLoaded || pagesInView(l.vTop, l.scrollTop, g).every(g.isLoaded)) {
      l.shownVTop = l.vTop;
    }
    const ahead = l.jumping ? 0 : prefetchDepth(l.speed, g.pageSize);
    const behind = l.jumping ? 0 : 1;
    setPos((p) =>
      p.vTop === l.vTop &&
      p.shownVTop === l.shownVTop &&
      p.holding === l.holding &&
      p.scrollTop === l.scrollTop &&
      p.pages === l.pages &&
      p.direction === l.direction &&
      p.ahead === ahead &&
      p.behind === behind
        ? p
        : {
            vTop: l.vTop,
            shownVTop: l.shownVTop,
            holding: l.holding,
            scrollTop: l.scrollTop,
            pages: l.pages,
            direction: l.direction,
            ahead,
            behind,
          },
    );
  }, []);

  /** The drag's loads, one at a time for the latest position (created on first use). */
  const loader = useCallback((): LatestWins<DragTarget> => {
    dragLoader.current ??= new LatestWins<DragTarget>(
      (t, signal) => geom.current.loadWhileDragging?.(t.pages, signal) ?? Promise.resolve(),
      {
        same: (a, b) => samePages(a.pages, b.pages),
        onDone: (t, ok) => {
          const l = live.current;
          const g = geom.current;
          if (!ok || !l.holding || !g.isLoaded) return;
          // The rows of a position the thumb went through have arrived: show them until the
          // ones under the thumb do (publish shows the current rows if they are in already).
          if (pagesInView(t.vTop, l.scrollTop, g).every(g.isLoaded)) l.shownVTop = t.vTop;
          publish();
        },
      },
    );
    return dragLoader.current;
  }, [publish]);

  /**
   * Commits the pages of the current position (a drag paused or let go). After a pause
   * they load once the rows in view are among them (not while the thumb moves on); after the
   * release their requests start at once, and a drag load for somewhere else is aborted.
   */
  const flush = useCallback(
    (released: boolean) => {
      const l = live.current;
      if (l.timer != null) clearTimeout(l.timer);
      l.timer = null;
      // A pause with the thumb still held keeps showing the last rows that arrived until the
      // ones under it do; a release shows placeholders where it stopped until then.
      l.holding = !released && l.dragging;
      l.pages = wantedPages(l.vTop, l.scrollTop, geom.current);
      if (released) {
        const pages = l.pages;
        dragLoader.current?.abort((t) => t.pages.some((p) => pages.includes(p)));
        geom.current.onJump?.(pages);
      }
      publish();
    },
    [publish],
  );

  /** Decides the pages for the current position, then publishes it. */
  const commit = useCallback(() => {
    const g = geom.current;
    const l = live.current;
    const now = performance.now();
    const dv = l.vTop - l.prevVTop;
    if (dv !== 0) {
      l.direction = Math.sign(dv);
      const dt = now - l.prevAt;
      const rate = dt > 0 && dt < 500 ? Math.abs(dv) / g.rowHeight / (dt / 1000) : 0;
      l.speed = dt < 500 ? 0.6 * l.speed + 0.4 * rate : 0;
    } else if (now - l.prevAt > 500) {
      l.speed = 0;
    }
    l.prevVTop = l.vTop;
    l.prevAt = now;

    const wanted = wantedPages(l.vTop, l.scrollTop, g);
    const same = wanted.length === l.pages.length && wanted.every((p, i) => p === l.pages[i]);
    const near = same || isNearby(l.pages, wanted);
    if (!near) l.speed = 0; // a jump is no scrolling speed
    const cached = g.isLoaded ? wanted.every((p) => g.isLoaded?.(p)) : false;
    if (near || cached) {
      if (l.timer != null) clearTimeout(l.timer);
      l.timer = null;
      l.holding = false;
      if (!same) l.pages = wanted;
    } else if (!l.dragging && now - l.farAt > BURST_MS && l.timer == null) {
      // A jump: its pages at once (one round trip of blank rows, no debounce).
      l.holding = false;
      l.pages = wanted;
      g.onJump?.(wanted);
    } else {
      // Part of a drag: the rows under the thumb are loaded one request at a time, the latest
      // position first (what is shown meanwhile: publish); its pages are committed (and
      // their neighbours warmed) when it pauses or is let go.
      l.holding = true;
      if (g.loadWhileDragging) loader().request({ vTop: l.vTop, pages: wanted });
      if (l.timer != null) clearTimeout(l.timer);
      l.timer = setTimeout(() => {
        flush(false);
      }, g.debounceMs);
    }
    if (!near) {
      // Warm neighbouring pages only once the jumping stops.
      l.farAt = now;
      l.jumping = true;
      if (l.settle != null) clearTimeout(l.settle);
      l.settle = setTimeout(() => {
        l.settle = null;
        l.jumping = false;
        publish();
      }, BURST_MS);
    }
    publish();
  }, [publish, flush, loader]);

  /** Moves to a virtual offset: sets scrollTop to match and publishes. */
  const scrollToVirtual = useCallback(
    (vTop: number) => {
      const el = ref.current;
      if (!el) return;
      const g = geom.current;
      const l = live.current;
      const v = Math.min(Math.max(0, vTop), maxVirtualTop(g.total, g.viewportHeight, g.rowHeight));
      const target = scrollTopForVirtual(v, g.viewportHeight, g.total, g.rowHeight);
      el.scrollTop = target;
      const actual = el.scrollTop;
      const { scaled } = scrollGeometry(g.total, g.rowHeight);
      l.scrollTop = actual;
      // The element may not have gone there (not laid out yet, or unscaled rounding): then
      // the position is whatever scrollTop says.
      l.vTop =
        scaled && Math.abs(actual - target) <= 1
          ? v
          : virtualScrollTop(actual, g.viewportHeight, g.total, g.rowHeight);
      commit();
    },
    [ref, commit],
  );

  useLayoutEffect(() => {
    geom.current = {
      total,
      rowHeight,
      pageSize,
      viewportHeight,
      debounceMs,
      isLoaded: options.isLoaded,
      onJump: options.onJump,
      loadWhileDragging: options.loadWhileDragging,
    };
  });

  // The geometry changed (first measure, resize, the row count known): re-read scrollTop.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const l = live.current;
    l.scrollTop = el.scrollTop;
    l.vTop = virtualScrollTop(el.scrollTop, viewportHeight, total, rowHeight);
    l.prevVTop = l.vTop;
    commit();
  }, [ref, total, viewportHeight, rowHeight, pageSize, commit]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const l = live.current;
    const measure = () => setViewportHeight(Math.max(0, el.clientHeight - headerHeight));
    // The first measurement re-renders once the first frame is on screen, not before: that
    // frame shows the rows for the initial guess (600 px, no overscan). Correcting it now would
    // mean a second render and layout of the whole grid before anything is shown, and right
    // after its paint that render competes with the frame's rasterization.
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(measure) : null;
    const cancelMeasure = afterNextPaint(() => {
      startTransition(() => {
        measure();
        setOverscan(undefined);
      });
      ro?.observe(el);
    });
    // Read scrollTop (again): true when it moved since it was last taken in.
    const takeScroll = () => {
      const st = el.scrollTop;
      if (Math.abs(st - l.scrollTop) < 1) return false; // where wheel/keys put it: nothing new
      const g = geom.current;
      l.scrollTop = st;
      l.vTop = virtualScrollTop(st, g.viewportHeight, g.total, g.rowHeight);
      return true;
    };
    // Browsers fire scroll events once per frame, in its rendering steps before the animation
    // frame callbacks: rendered right here, the rows of the new position are in the DOM before
    // anything else runs in the frame (a frame late they would be the old position's, or none).
    const onScroll = () => {
      if (takeScroll()) flushSync(commit);
    };
    const scaled = () => scrollGeometry(geom.current.total, geom.current.rowHeight).scaled;
    const onWheel = (e: WheelEvent) => {
      if (!scaled() || e.ctrlKey || e.metaKey) return;
      if (e.deltaY === 0 || Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;
      const g = geom.current;
      const max = maxVirtualTop(g.total, g.viewportHeight, g.rowHeight);
      const delta = wheelDelta(e.deltaY, e.deltaMode, g.viewportHeight, g.rowHeight);
      const next = Math.min(max, Math.max(0, l.vTop + delta));
      if (next === l.vTop) return; // at an end: let the page scroll on
      e.preventDefault();
      if (e.deltaX) el.scrollLeft += e.deltaX;
      scrollToVirtual(next);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || !scaled()) return;
      // On the grid itself every scrolling key; on a control inside it (a header's sort
      // button) not Space, and nothing in a text field.
      const t = e.target as HTMLElement | null;
      if (t !== el && (e.key === ' ' || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) {
        return;
      }
      if (t !== el && t?.isContentEditable) return;
      const g = geom.current;
      const next = keyScrollTarget(
        e.key,
        e.shiftKey,
        l.vTop,
        g.viewportHeight,
        g.total,
        g.rowHeight,
      );
      if (next === null) return;
      e.preventDefault();
      scrollToVirtual(next);
    };
    // A press on the scrollbar (right of the client area) starts a drag: loaded while it moves,
    // its pages committed when it pauses, and at once when it is let go.
    const onMouseDown = (e: MouseEvent) => {
      const r = el.getBoundingClientRect();
      // (Any other press ends a drag whose release was never seen.)
      l.dragging = e.target === el && e.clientX >= r.left + el.clientLeft + el.clientWidth;
    };
    const onRelease = () => {
      if (!l.dragging) return;
      l.dragging = false;
      // The last move's scroll event may still be waiting for the next frame: read it first.
      if (takeScroll()) commit();
      if (l.timer != null || l.holding) flush(true);
    };
    el.addEventListener('mousedown', onMouseDown);
    window.addEventListener('mouseup', onRelease, true);
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('keydown', onKeyDown);
    return () => {
      cancelMeasure();
      el.removeEventListener('mousedown', onMouseDown);
      window.removeEventListener('mouseup', onRelease, true);
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('keydown', onKeyDown);
      ro?.disconnect();
      if (l.timer != null) clearTimeout(l.timer);
      if (l.settle != null) clearTimeout(l.settle);
      l.timer = null;
      l.settle = null;
      dragLoader.current?.abort();
    };
  }, [ref, headerHeight, commit, flush, scrollToVirtual]);

  const scrollToRow = useCallback(
    (row: number) => scrollToVirtual(Math.max(0, row) * geom.current.rowHeight),
    [scrollToVirtual],
  );

  // The rows under the thumb replace the last ones that arrived as soon as they are in (their
  // page may come from the drag's load or from the grid's own query after a pause).
  const g = { total, rowHeight, pageSize, viewportHeight };
  const isLoaded = options.isLoaded;
  const shownVTop =
    pos.holding && isLoaded && !pagesInView(pos.vTop, pos.scrollTop, g).every(isLoaded)
      ? pos.shownVTop
      : pos.vTop;
  const win = windowAt(shownVTop, pos.scrollTop, viewportHeight, total, rowHeight, overscan);
  const inView = windowAt(shownVTop, pos.scrollTop, viewportHeight, total, rowHeight, 0);
  return {
    window: win,
    pages: pos.pages,
    needed: pagesForRange(inView.start, inView.end, pageSize),
    prefetch: prefetchPages(pos.pages, pos.direction, total, pageSize, pos.ahead, pos.behind),
    viewportHeight,
    visible: { first: inView.start, last: Math.max(inView.start, inView.end) },
    scrollToRow,
  };
}

function wantedPages(
  vTop: number,
  scrollTop: number,
  g: { total: number; rowHeight: number; pageSize: number; viewportHeight: number },
): number[] {
  const w = windowAt(vTop, scrollTop, g.viewportHeight, g.total, g.rowHeight);
  return pagesForRange(w.start, w.end, g.pageSize);
}

/** The pages holding the rows in view (no overscan) at a position. */
function pagesInView(
  vTop: number,
  scrollTop: number,
  g: { total: number; rowHeight: number; pageSize: number; viewportHeight: number },
): number[] {
  const w = windowAt(vTop, scrollTop, g.viewportHeight, g.total, g.rowHeight, 0);
  return pagesForRange(w.start, w.end, g.pageSize);
}

function samePages(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function initialPages(total: number, rowHeight: number, pageSize: number): number[] {
  const w = windowAt(0, 0, 600, total, rowHeight);
  return pagesForRange(w.start, w.end, pageSize);
}
