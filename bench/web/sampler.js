// Injected into the dataset page by bench/web/bench.mjs (page.addScriptTag / evaluate).
// A requestAnimationFrame sampler that, on every frame, looks at the grid's viewport (below
// the sticky header) and decides whether it shows blank rows:
//   - a row element in view whose cells hold the loading placeholder (`.skeleton`, what
//     DataGrid renders while a row's page is not loaded), or
//   - part of the viewport not covered by any row element at all (scrolled past the rendered
//     window before React caught up), more than a few pixels, unless the data ends there.
// Consecutive blank frames form one blank interval, measured from the first frame seen
// blank to the first frame seen filled again (so frame-rounded).  Also kept: the largest
// gap between frames (a frozen main thread shows whatever the compositor has) and, per
// frame, the first visible row's number and id, for the correctness checks after a jump —
// and the frames whose first visible row shows another row's values (its id cell is not its
// row number: `wrongFrames`, must stay 0; the rows a drag shows while it waits are checked so).
(() => {
  if (window.__dmSampler) return;
  const S = {
    running: false,
    blankSince: null,
    blankInfo: null,
    intervals: [], // {start, end, ms, skeletonRows, uncoveredPx}
    frames: 0,
    blankFrames: 0,
    wrongFrames: 0,
    lastT: null,
    maxGap: 0,
    lastScrollAt: null,
    lastScrollTop: null,
  };

  function inspect() {
    const grid = document.querySelector('[data-testid="data-grid"]');
    if (!grid) return { blank: true, skeletonRows: 0, uncoveredPx: Infinity, first: null };
    const gr = grid.getBoundingClientRect();
    const head = grid.querySelector('.grid__header');
    const top = head ? head.getBoundingClientRect().bottom : gr.top;
    const bottom = gr.top + grid.clientTop + grid.clientHeight;
    const spans = [];
    let skeletonRows = 0;
    let first = null;
    for (const row of grid.querySelectorAll('.grid__row')) {
      const rr = row.getBoundingClientRect();
      if (rr.bottom <= top + 0.5 || rr.top >= bottom - 0.5) continue;
      spans.push([Math.max(top, rr.top), Math.min(bottom, rr.bottom)]);
      const loading = row.querySelector('.skeleton') !== null;
      if (loading) skeletonRows += 1;
      // first row whose top half is in view
      if (rr.top + rr.height / 2 >= top && (first === null || rr.top < first.top)) {
        const idx = row.querySelector('.grid__index');
        const cell = row.querySelector('[role="gridcell"]');
        first = {
          top: rr.top,
          rowNumber: idx ? Number(idx.textContent.replace(/[^0-9]/g, '')) : null,
          id: loading || !cell ? null : cell.textContent.trim(),
          loading,
        };
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let cursor = top;
    for (const [a, b] of spans) {
      if (b <= cursor) continue;
      covered += b - Math.max(a, cursor);
      cursor = b;
    }
    let uncoveredPx = Math.max(0, bottom - top - covered);
    // At the end of the data the rows legitimately stop: blank space below the last row is
    // not a blank row.  aria-rowcount = total + 1 (the header).
    const total = Number(grid.getAttribute('aria-rowcount') || 1) - 1;
    const lastRow = grid.querySelector(`.grid__row[aria-rowindex="${total + 1}"]`);
    if (lastRow && lastRow.getBoundingClientRect().bottom < bottom) {
      uncoveredPx = Math.max(0, uncoveredPx - (bottom - lastRow.getBoundingClientRect().bottom));
    }
    if (total === 0) uncoveredPx = 0;
    return { blank: skeletonRows > 0 || uncoveredPx > 4, skeletonRows, uncoveredPx, first, scrollTop: grid.scrollTop };
  }

  function frame(t) {
    if (!S.running) return;
    if (S.lastT !== null) S.maxGap = Math.max(S.maxGap, t - S.lastT);
    S.lastT = t;
    S.frames += 1;
    const now = performance.now();
    S.lastFrameAt = now;
    const st = inspect();
    if (S.lastScrollTop !== null && st.scrollTop !== S.lastScrollTop) S.lastScrollAt = now;
    S.lastScrollTop = st.scrollTop;
    S.last = st;
    if (st.first && st.first.id !== null && Number(st.first.id.replace(/[^0-9]/g, '')) !== st.first.rowNumber) S.wrongFrames += 1;
    if (st.blank) {
      S.blankFrames += 1;
      if (S.blankSince === null) {
        S.blankSince = now;
        S.blankInfo = { skeletonRows: 0, uncoveredPx: 0 };
      }
      S.blankInfo.skeletonRows = Math.max(S.blankInfo.skeletonRows, st.skeletonRows);
      S.blankInfo.uncoveredPx = Math.max(S.blankInfo.uncoveredPx, Math.round(st.uncoveredPx));
    } else if (S.blankSince !== null) {
      S.intervals.push({ start: S.blankSince, end: now, ms: now - S.blankSince, ...S.blankInfo });
      S.blankSince = null;
    }
    requestAnimationFrame(frame);
  }

  window.__dmSampler = {
    /** Starts a new segment: forgets everything measured so far. */
    start() {
      const wasRunning = S.running;
      Object.assign(S, {
        running: true,
        blankSince: null,
        intervals: [],
        frames: 0,
        blankFrames: 0,
        wrongFrames: 0,
        lastT: null,
        maxGap: 0,
        lastScrollAt: null,
        lastScrollTop: null,
        lastFrameAt: null,
      });
      if (!wasRunning) requestAnimationFrame(frame); // one loop, however many segments
    },
    /** The segment so far; an interval still open counts up to now (marked open). */
    snapshot() {
      const now = performance.now();
      const intervals = S.intervals.slice();
      if (S.blankSince !== null) intervals.push({ start: S.blankSince, end: now, ms: now - S.blankSince, open: true, ...S.blankInfo });
      return {
        now,
        intervals,
        frames: S.frames,
        blankFrames: S.blankFrames,
        wrongFrames: S.wrongFrames,
        maxGap: S.maxGap,
        lastScrollAt: S.lastScrollAt,
        lastFrameAt: S.lastFrameAt,
        blankNow: S.blankSince !== null,
        last: S.last ?? inspect(),
      };
    },
    stop() {
      S.running = false;
    },
    inspect,
  };
})();
