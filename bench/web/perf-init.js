// Added to every page of a paint-timing run (context.addInitScript) by bench/web/bench.mjs,
// with `const MEANINGFUL = "<kind>";` prepended.  Records, relative to the navigation start
// (performance.timeOrigin):
//   fcp         first-contentful-paint (Paint Timing)
//   lcp         the last largest-contentful-paint candidate and its element
//   meaningful  the first animation frame in which the page's meaningful element is in the
//               DOM, laid out and visible in the viewport — painted in that frame:
//                 signin   the "Sign in" heading and the email field
//                 projects the link to a project (the list has loaded)
//                 grid     a grid row with real cell values (the first page of rows has loaded)
(() => {
  const perf = (window.__dmPerf = { fcp: null, fp: null, lcp: null, lcpElement: null, meaningful: null });
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
      const el = e.element;
      perf.lcpElement = el
        ? `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${(el.textContent || '').trim().slice(0, 40)}"`
        : null;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (err) {
    perf.error = String(err);
  }

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
      perf.meaningful = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
