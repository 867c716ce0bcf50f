// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createQueryClient } from '../../api/queryClient';
import { setFetchImplementation } from '../../api/client';
import type { ColumnProfile, Dataset } from '../../api/types';
import { json, mockFetch, type MockRequest } from '../../test/mockServer';
import { DataGrid } from './DataGrid';

const TOTAL = 10_000_000;

const dataset: Dataset = {
  id: 'd1',
  project_id: 'p1',
  name: 'big',
  version: 3,
  row_count: TOTAL,
  column_count: 2,
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'city', type: 'string', semantic_type: 'category' },
  ],
  created_at: '2025-01-01T00:00:00Z',
};

beforeAll(() => {
  // jsdom has no layout: give the scroll container a viewport.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get: () => 600,
  });
});
afterEach(cleanup);

function serve() {
  return mockFetch(answer);
}

/** The server's page of rows for a request. */
function answer(req: MockRequest): Response {
  {
    const u = new URL(req.url, 'http://x');
    const offset = Number(u.searchParams.get('offset'));
    const limit = Number(u.searchParams.get('limit'));
    const desc = u.searchParams.get('sort') === 'id:desc';
    const rows = Array.from({ length: limit }, (_, i) => {
      const n = desc ? TOTAL - offset - i : offset + i + 1;
      return [n, n % 7 === 0 ? null : `city ${n}`];
    });
    // Columns in a different order than the dataset: the grid must map by name.
    return json(200, {
      columns: ['city', 'id'],
      rows: rows.map(([a, b]) => [b, a]),
      total: TOTAL,
      offset,
      limit,
    });
  }
}

/** Like serve, but once `hold` is set, answers only when the test lets a request through. */
function gatedServe() {
  const gate = { hold: false, waiting: [] as { req: MockRequest; answer: () => void }[] };
  const m = mockFetch((req) =>
    gate.hold
      ? new Promise<Response>((resolve) => {
          gate.waiting.push({ req, answer: () => resolve(answer(req)) });
        })
      : answer(req),
  );
  return { ...m, gate };
}

function renderGrid(profiles = new Map<string, ColumnProfile>()) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <DataGrid dataset={dataset} profiles={profiles} />
    </QueryClientProvider>,
  );
}

const top25 = 25 * 200_000;

/** The 1-based row shown first for a scrollTop (the scaled scrollbar: 15M px, 512 px view). */
function rowAt(top: number): number {
  return Math.floor(((top / (15_000_000 - 512)) * (TOTAL * 32 - 512)) / 32) + 1;
}

function param(c: { url: string } | undefined, name: string): number {
  return Number(new URL(c?.url ?? '', 'http://x').searchParams.get(name));
}

/** A request covers the rows from `first` on that are in view (16), in whole pages. */
function expectRequestFor(call: { url: string } | undefined, first: number) {
  expect(param(call, 'offset') % 200).toBe(0);
  expect(param(call, 'offset')).toBeLessThanOrEqual(first - 1);
  expect(param(call, 'offset') + param(call, 'limit')).toBeGreaterThanOrEqual(first + 15);
}

/** Sets scrollTop as the browser would and fires the scroll event. */
function scrollGrid(grid: HTMLElement, top: number) {
  Object.defineProperty(grid, 'scrollTop', { configurable: true, writable: true, value: top });
  fireEvent.scroll(grid);
}

/** Rows in view (the first 16 rendered from the shown position) that show placeholders. */
function skeletonsInView(): number {
  const rows = [...document.querySelectorAll('.grid__body .grid__row')];
  const first = rows.findIndex((r) => r.querySelector('.grid__index')) ?? 0;
  return rows.slice(first, first + 16).filter((r) => r.querySelector('.skeleton')).length;
}

/**
 * The grid with its first pages shown, then row requests held at the gate and a fake clock
 * (timers, animation frames, performance): frames can be stepped 16 ms apart, so a dragged
 * thumb never pauses however slow the machine. The caller restores real timers.
 */
async function renderHeldGrid() {
  const m = gatedServe();
  setFetchImplementation(m.fn);
  renderGrid();
  await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
  await waitFor(() => expect(m.calls.length).toBe(2));
  const grid = screen.getByRole('grid');
  Object.defineProperty(grid, 'scrollTop', { configurable: true, writable: true, value: 0 });
  const before = m.calls.length;
  m.gate.hold = true;
  vi.useFakeTimers({
    toFake: [
      'setTimeout',
      'clearTimeout',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'performance',
    ],
  });
  return { m, grid, before };
}

describe('DataGrid', () => {
  it('fetches the first page of 200 and renders the visible rows mapped by column name', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    expect(m.calls[0]?.url).toBe('/api/v1/datasets/d1/rows?offset=0&limit=200');
    const grid = screen.getByRole('grid');
    expect(grid.getAttribute('aria-rowcount')).toBe(String(TOTAL + 1));
    // A viewport of 512 px body shows 16 rows plus 8 overscan, never the whole page.
    expect(screen.getAllByRole('row').length).toBeLessThan(40);
    // Nulls are shown as a muted marker.
    expect(screen.getAllByText('null').length).toBeGreaterThan(0);
    expect(screen.getByTestId('grid-range').textContent).toContain('of 10,000,000');
    expect(screen.getByText(/Scrollbar scaled/)).toBeTruthy();
  });

  it('scrolls to the last of 10 million rows through the scaled scrollbar', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    const grid = screen.getByRole('grid');
    // Scroll to the bottom: content is capped at 15M px; the viewport (600 - 88 header) is 512 px.
    Object.defineProperty(grid, 'scrollTop', { configurable: true, value: 15_000_000 - 512 });
    fireEvent.scroll(grid);
    await waitFor(() => expect(screen.getByText(`city ${TOTAL}`)).toBeTruthy());
    const offsets = m.calls.map((c) =>
      Number(new URL(c.url, 'http://x').searchParams.get('offset')),
    );
    expect(offsets).toContain(TOTAL - 200);
    // Only the pages for the window and a few warmed next to it, not everything in between.
    expect(offsets.every((o) => o <= 3 * 200 || o >= TOTAL - 3 * 200)).toBe(true);
    expect(m.calls.length).toBeLessThanOrEqual(6);
    expect(screen.getByTestId('grid-range').textContent).toContain('10,000,000 of 10,000,000');
  });

  it('jumps to a row typed in "Go to row"', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    await waitFor(() => expect(screen.getByTestId('grid-range').textContent).toContain('1–16 of'));
    const grid = screen.getByRole('grid');
    Object.defineProperty(grid, 'scrollTop', { configurable: true, writable: true, value: 0 });
    const input = screen.getByLabelText('Go to row');
    fireEvent.change(input, { target: { value: '5000000' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    fireEvent.scroll(grid); // a real browser fires this when scrollTop is set
    await waitFor(() => expect(screen.getByText('city 5000000')).toBeTruthy());
    expect(m.calls.some((c) => c.url.includes('offset=4999800'))).toBe(true);
  });

  it('moves a wheel notch ~3 rows and PageDown one screen on the scaled scrollbar', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    const grid = screen.getByRole('grid');
    Object.defineProperty(grid, 'scrollTop', { configurable: true, writable: true, value: 0 });
    const range = () => screen.getByTestId('grid-range').textContent;
    // Measured once the first frame is drawn (until then: a 600 px guess, 19 rows).
    await waitFor(() => expect(range()).toContain('Rows 1–16 of'));

    // One notch of 100 px: 100 virtual px (3 rows), not 100 real px (~67 rows).
    const notch = fireEvent.wheel(grid, { deltaY: 100, deltaMode: 0 });
    expect(notch).toBe(false); // default prevented: the grid moved itself
    await waitFor(() => expect(range()).toContain('Rows 4–20 of'));
    // scrollTop follows, at the scaled position of row 3 (100 px of 320M → ~4.7 real px).
    expect(grid.scrollTop).toBeCloseTo((100 / (TOTAL * 32 - 512)) * (15_000_000 - 512), 3);
    await waitFor(() => expect(screen.getByText('city 4')).toBeTruthy());

    // PageDown (grid focused): one screen (15 rows) further.
    fireEvent.keyDown(grid, { key: 'PageDown' });
    await waitFor(() => expect(range()).toContain('Rows 19–35 of'));
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(screen.getByText(`city ${TOTAL}`)).toBeTruthy());
    expect(range()).toContain('10,000,000 of 10,000,000');
    fireEvent.keyDown(grid, { key: 'Home' });
    await waitFor(() => expect(range()).toContain('Rows 1–16 of'));
    expect(grid.scrollTop).toBe(0);
    // At the top, another notch up is left to the page (not prevented).
    expect(fireEvent.wheel(grid, { deltaY: -100 })).toBe(true);
  });

  it('asks for nothing else until the frame with the first rows is drawn', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    const onRowsShown = vi.fn();
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame'] });
    try {
      render(
        <QueryClientProvider client={createQueryClient()}>
          <DataGrid dataset={dataset} profiles={new Map()} onRowsShown={onRowsShown} />
        </QueryClientProvider>,
      );
      await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
      // Rendered, but no frame yet: no overscan, no measurement, no prefetch, no statistics.
      await new Promise((r) => setTimeout(r, 50));
      expect(m.calls.map((c) => c.url)).toEqual(['/api/v1/datasets/d1/rows?offset=0&limit=200']);
      expect(onRowsShown).not.toHaveBeenCalled();
      expect(screen.getByTestId('grid-range').textContent).toContain('Rows 1–19 of');
      vi.advanceTimersToNextFrame(); // the frame that shows the rows
      vi.advanceTimersToNextFrame(); // the next one begins once it is drawn
      await waitFor(() => expect(onRowsShown).toHaveBeenCalledTimes(1));
      await waitFor(() => expect(m.calls).toHaveLength(2));
      expect(m.calls[1]?.url).toBe('/api/v1/datasets/d1/rows?offset=200&limit=400');
      await waitFor(() =>
        expect(screen.getByTestId('grid-range').textContent).toContain('Rows 1–16 of'),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('warms the next pages once the first is shown, so small scrolls find their rows', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    await waitFor(() =>
      expect(m.calls.map((c) => c.url)).toEqual([
        '/api/v1/datasets/d1/rows?offset=0&limit=200',
        // the two next pages in one request, each cached as its own page
        '/api/v1/datasets/d1/rows?offset=200&limit=400',
      ]),
    );
    // Scrolling into page 1 shows its rows without another request for it.
    const grid = screen.getByRole('grid');
    Object.defineProperty(grid, 'scrollTop', { configurable: true, writable: true, value: 0 });
    for (let i = 0; i < 70; i += 1) fireEvent.wheel(grid, { deltaY: 100 });
    await waitFor(() => expect(screen.getByText('city 220')).toBeTruthy());
    expect(m.calls.filter((c) => c.url.includes('offset=200&')).length).toBe(1);
  });

  it('requests a far jump at once, with one request for the rows around it', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    await waitFor(() => expect(m.calls.length).toBe(2)); // page 0, then two warmed in one
    const grid = screen.getByRole('grid');
    Object.defineProperty(grid, 'scrollTop', { configurable: true, writable: true, value: 0 });
    // A jump (a click on the track): one request, for the rows around the new position.
    scrollGrid(grid, 7_500_000);
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    expect(m.calls.length).toBe(3);
    expectRequestFor(m.calls[2], rowAt(7_500_000));
    await waitFor(() => expect(screen.getByText(`city ${rowAt(7_500_000) + 2}`)).toBeTruthy());
  });

  it('while the scrollbar is dragged, loads the rows under the thumb one request at a time, latest first, and shows the last that arrived', async () => {
    const { m, grid, before } = await renderHeldGrid();
    try {
      const frame = async (top: number) => {
        scrollGrid(grid, top);
        await vi.advanceTimersByTimeAsync(16);
      };
      // An answer's data is in the cache after a few promise turns; React renders the update
      // from a macrotask (setImmediate, not faked).
      const rendered = async () => {
        await vi.advanceTimersByTimeAsync(16);
        await new Promise((r) => setImmediate(r));
      };
      const top = (i: number) => i * 200_000;
      fireEvent.mouseDown(grid, { clientX: 5000 }); // on the scrollbar, right of the rows
      await frame(top(1));
      // The first position far away is asked for at once...
      expect(m.calls.length).toBe(before + 1);
      expectRequestFor(m.calls[before], rowAt(top(1)));
      // ...and while it is on its way, the thumb moves on without another request.
      for (let i = 2; i <= 10; i += 1) await frame(top(i));
      expect(m.calls.length).toBe(before + 1);
      // Meanwhile the rows that were there stay on screen, not placeholders.
      expect(skeletonsInView()).toBe(0);
      expect(screen.getByText('city 1')).toBeTruthy();

      // It arrives: its rows are shown (the thumb is elsewhere; the footer says which rows),
      // and the next request is for where the thumb is now, not for the positions between.
      m.gate.waiting.shift()?.answer();
      await rendered();
      expect(screen.getByText(`city ${rowAt(top(1)) + 1}`)).toBeTruthy();
      expect(skeletonsInView()).toBe(0);
      expect(screen.getByTestId('grid-range').textContent).toContain(
        `Rows ${rowAt(top(1)).toLocaleString('en')}`,
      );
      expect(m.calls.length).toBe(before + 2);
      expectRequestFor(m.calls[before + 1], rowAt(top(10)));

      // The thumb goes on and is let go while a load for an earlier position is in flight:
      // that one is aborted, and the release asks for the rows where it stopped.
      for (let i = 11; i <= 20; i += 1) await frame(top(i));
      m.gate.waiting.shift()?.answer();
      await rendered();
      expect(screen.getByText(`city ${rowAt(top(10)) + 1}`)).toBeTruthy();
      expectRequestFor(m.calls[before + 2], rowAt(top(20)));
      const inFlight = m.calls[before + 2];
      await frame(top(25));
      fireEvent.mouseUp(window);
      expect(inFlight?.signal?.aborted).toBe(true);
      const last = m.calls.at(-1);
      expectRequestFor(last, rowAt(top(25)));
      expect(m.calls.length).toBe(before + 4);
      // Never more than one request from the drag in flight at a time.
      expect(m.calls.slice(before, -1).filter((c) => !c.signal?.aborted).length).toBe(2);
      m.gate.hold = false;
      m.gate.waiting.splice(0).forEach((w) => w.answer());
      await vi.advanceTimersByTimeAsync(300); // the jumping settles: neighbours may be warmed
    } finally {
      vi.useRealTimers();
    }
    await waitFor(() => expect(screen.getByText(`city ${rowAt(top25) + 2}`)).toBeTruthy());
    expect(m.calls.length).toBeLessThanOrEqual(before + 8);
  });

  it('keeps the last rows on screen while the held thumb pauses, until the rows under it arrive', async () => {
    const { m, grid, before } = await renderHeldGrid();
    try {
      const rendered = async (ms: number) => {
        await vi.advanceTimersByTimeAsync(ms);
        await new Promise((r) => setImmediate(r));
      };
      fireEvent.mouseDown(grid, { clientX: 5000 });
      scrollGrid(grid, 3_000_000);
      await rendered(500); // the thumb stays there, held, for half a second
      expect(m.calls.length).toBe(before + 1); // its rows asked for once, not again on the pause
      expect(skeletonsInView()).toBe(0);
      expect(screen.getByText('city 1')).toBeTruthy();
      m.gate.waiting.shift()?.answer();
      await rendered(16);
      expect(screen.getByText(`city ${rowAt(3_000_000) + 1}`)).toBeTruthy();
      expect(skeletonsInView()).toBe(0);
      fireEvent.mouseUp(window);
      m.gate.hold = false;
      m.gate.waiting.splice(0).forEach((w) => w.answer());
      await rendered(300);
    } finally {
      vi.useRealTimers();
    }
    expect(screen.getByText(`city ${rowAt(3_000_000) + 1}`)).toBeTruthy();
  });

  it('sorts on the server when a header is clicked', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    fireEvent.click(screen.getByTitle(/Sort by id/));
    fireEvent.click(screen.getByTitle(/Sort by id/));
    await waitFor(() => expect(screen.getByText(`city ${TOTAL - 1}`)).toBeTruthy());
    expect(m.calls.some((c) => c.url.includes('sort=id%3Adesc'))).toBe(true);
    const header = screen.getAllByRole('columnheader')[1];
    expect(header?.getAttribute('aria-sort')).toBe('descending');
  });

  it('shows profile statistics in the headers', async () => {
    setFetchImplementation(serve().fn);
    const profiles = new Map<string, ColumnProfile>([
      [
        'city',
        {
          name: 'city',
          type: 'string',
          count: 100,
          null_count: 25,
          histogram: { edges: [0, 1, 2], counts: [3, 5] },
        },
      ],
    ]);
    renderGrid(profiles);
    expect(await screen.findByText('25.0% null')).toBeTruthy();
    expect(screen.getByText('category')).toBeTruthy();
    expect(document.querySelectorAll('svg.minihist rect')).toHaveLength(2);
  });
});
