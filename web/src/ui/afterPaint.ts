import { useEffect, useState } from 'react';

/** How long `afterNextPaint` waits at most for the frame (a page that paints nothing). */
export const AFTER_PAINT_FALLBACK_MS = 1000;

/**
 * Runs `fn` once what the DOM shows now is on screen, to hold back work that would compete with
 * showing it: a first screen's frame is rasterized on another thread, and on a small machine
 * more rendering, requests and their answers on the main thread slow that down (measured by
 * bench/web). Chromium begins rendering the next frame only after the previous one has been
 * rasterized and activated, so the callback of the second animation frame from now comes just
 * after the frame that shows the current DOM is ready to be drawn. A hidden page paints nothing
 * (then `fn` runs in the next task); `fallbackMs` bounds the wait either way. Returns a function
 * that cancels `fn` if it has not run.
 */
export function afterNextPaint(fn: () => void, fallbackMs = AFTER_PAINT_FALLBACK_MS): () => void {
  let done = false;
  let frame: number | null = null;
  const finish = () => {
    done = true;
    if (frame !== null) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
  const run = () => {
    if (done) return;
    finish();
    fn();
  };
  const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
  const timer = setTimeout(run, hidden ? 0 : fallbackMs);
  if (!hidden && typeof requestAnimationFrame === 'function') {
    frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(run);
    });
  }
  return finish;
}

/**
 * False until the component's first render is on screen (see `afterNextPaint`), then true for
 * as long as it stays mounted.
 */
export function usePainted(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (painted) return undefined;
    return afterNextPaint(() => setPainted(true));
  }, [painted]);
  return painted;
}
