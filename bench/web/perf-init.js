// Added to every page of a paint-timing run (context.addInitScript) by bench/web/bench.mjs,
// with `const MEANINGFUL = "<kind>";` prepended.  Records, relative to the navigation start
// (performance.timeOrigin):
//   fcp         first-contentful-paint (Paint Timing)
//   lcp         the last largest-contentful-paint candidate and its element
//   meaningful  when the page's meaningful content was painted — the renderTime of its Element
//               Timing entries (the frame's presentation time, the same clock as FCP/LCP):
//                 signin   the "Sign in" heading and the email field's label
//                 projects the link to a project (the list has loaded)
//                 grid     a grid cell with a real value (the first page of rows has loaded)
//               The elements are tagged with an `elementtiming` attribute by a MutationObserver
//               as they are inserted (its callback runs before the frame that paints them), so
//               the app needs no bench-only markup; an entry only counts when its element is in
//               the viewport (a non-empty intersectionRect) and, for the grid, shows a value.
//   inDom       the requestAnimationFrame callback of the first frame in which the meaningful
//               element is in the DOM, laid out and visible (what "meaningful" was before:
//               before that frame's style, layout, paint and raster — an optimistic bound).
(() => {
  const perf = (window.__dmPerf = {
    fcp: null,
    fp: null,
    lcp: null,
    lcpElement: null,
    meaningful: null,
    meaningfulParts: {},
    meaningfulElement: null,
    inDom: null,
  });
  const describe = (el) =>
    el
      ? `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${(el.textContent || '').trim().slice(0, 40)}"`
      : null;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === 'first-contentful-paint') perf.fcp = e.startTime;
        if (e.name === 'first-paint') perf.fp = e.startTime;
      }
    }).observe({ type: 'paint', buffered: true });
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      const e = entries[entries.length - 1];
      if (!e) return;
      perf.lcp = e.startTime;
      perf.lcpElement = describe(e.element);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (err) {
    perf.error = String(err);
  }

  // ---- what is meaningful, per page: the parts that must all have been painted
  const isCell = (el) =>
    el.matches('[data-testid="data-grid"] .grid__row [role="gridcell"]') && !el.querySelector('.skeleton');
  const kinds = {
    signin: {
      parts: ['heading', 'email'],
      tag(root) {
        for (const h of within(root, 'h1, h2')) if (h.textContent.trim() === 'Sign in') mark(h, 'heading');
        for (const input of within(root, 'input[type="email"]')) {
          const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : input.closest('label');
          if (label) mark(label, 'email');
        }
      },
      valid: () => true,
    },
    projects: {
      parts: ['link'],
      tag(root) {
        for (const a of within(root, 'a[href^="/projects/"]')) mark(a, 'link');
      },
      valid: (el) => el.matches('a[href^="/projects/"]') || el.querySelector('a[href^="/projects/"]') !== null,
    },
    grid: {
      parts: ['cell'],
      tag(root) {
        for (const c of within(root, '[data-testid="data-grid"] [role="gridcell"]')) mark(c, 'cell');
      },
      valid: (el) => isCell(el) && (el.textContent ?? '') !== '',
    },
  };
  const kind = kinds[MEANINGFUL];
  const PREFIX = 'dm-meaningful-';
  /** `root` itself when it matches, then its matching descendants. */
  function within(root, selector) {
    return (root.matches(selector) ? [root] : []).concat([...root.querySelectorAll(selector)]);
  }
  function mark(el, part) {
    // Chromium times text by the block that lays it out: an inline element's attribute (a
    // link in a table cell) is not seen, its nearest non-inline ancestor's is.
    let box = el;
    while (box.parentElement && /^(inline|contents)$/.test(getComputedStyle(box).display)) box = box.parentElement;
    if (!box.hasAttribute('elementtiming')) box.setAttribute('elementtiming', PREFIX + part);
  }

  if (kind) {
    // Tag the elements as React inserts them: MutationObserver callbacks are microtasks, run
    // before the rendering of the frame that paints the new nodes.
    const mo = new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) {
          if (n.nodeType === 1) kind.tag(n);
        }
    });
    mo.observe(document, { childList: true, subtree: true });
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (!e.identifier || !e.identifier.startsWith(PREFIX)) continue;
          const part = e.identifier.slice(PREFIX.length);
          const r = e.intersectionRect;
          const time = e.renderTime || e.loadTime || e.startTime;
          if (!r || r.width <= 0 || r.height <= 0 || !e.element || !kind.valid(e.element)) continue;
          if (perf.meaningfulParts[part] == null || time < perf.meaningfulParts[part]) {
            perf.meaningfulParts[part] = time;
            if (part === kind.parts[kind.parts.length - 1]) perf.meaningfulElement = describe(e.element);
          }
        }
        if (perf.meaningful == null && kind.parts.every((p) => perf.meaningfulParts[p] != null)) {
          perf.meaningful = Math.max(...kind.parts.map((p) => perf.meaningfulParts[p]));
          mo.disconnect();
        }
      }).observe({ type: 'element', buffered: true });
    } catch (err) {
      perf.error = String(err);
    }
  }

  // ---- the old figure, for comparison: the animation frame in which it is first in the DOM
  const visible = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && getComputedStyle(el).visibility !== 'hidden';
  };
  const checks = {
    signin: () =>
      [...document.querySelectorAll('h1, h2')].some((h) => h.textContent.trim() === 'Sign in' && visible(h)) &&
      visible(document.querySelector('input[type="email"]')),
    projects: () => [...document.querySelectorAll('a[href^="/projects/"]')].some(visible),
    grid: () =>
      [...document.querySelectorAll('[data-testid="data-grid"] .grid__row')].some(
        (row) => !row.querySelector('.skeleton') && visible(row) && (row.querySelector('[role="gridcell"]')?.textContent ?? '') !== '',
      ),
  };
  const check = checks[MEANINGFUL];
  const tick = () => {
    if (check && check()) {
      perf.inDom = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
