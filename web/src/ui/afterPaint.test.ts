// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AFTER_PAINT_FALLBACK_MS, afterNextPaint } from './afterPaint';

/** Runs the animation frame callbacks queued now (one frame). */
function frame() {
  vi.advanceTimersToNextFrame();
}

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
}

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'],
  });
  setVisibility('visible');
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  setVisibility('visible');
});

describe('afterNextPaint', () => {
  it('runs in the second animation frame, not the first (that one paints the current DOM)', () => {
    const fn = vi.fn();
    afterNextPaint(fn);
    frame();
    expect(fn).not.toHaveBeenCalled();
    frame();
    expect(fn).toHaveBeenCalledTimes(1);
    frame();
    vi.advanceTimersByTime(AFTER_PAINT_FALLBACK_MS);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('runs after the fallback when no frame comes', () => {
    vi.stubGlobal('requestAnimationFrame', () => 1); // frames that never come
    const fn = vi.fn();
    afterNextPaint(fn, 300);
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(AFTER_PAINT_FALLBACK_MS);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('on a hidden page runs in the next task, without waiting for frames', () => {
    setVisibility('hidden');
    const fn = vi.fn();
    afterNextPaint(fn);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled', () => {
    const fn = vi.fn();
    const cancel = afterNextPaint(fn);
    frame();
    cancel();
    frame();
    vi.advanceTimersByTime(AFTER_PAINT_FALLBACK_MS);
    expect(fn).not.toHaveBeenCalled();
  });
});
