// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createQueryClient } from '../../api/queryClient';
import { setFetchImplementation } from '../../api/client';
import type { ColumnProfile, Dataset } from '../../api/types';
import { json, mockFetch } from '../../test/mockServer';
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
  return mockFetch((req) => {
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
  });
}

function renderGrid(profiles = new Map<string, ColumnProfile>()) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <DataGrid dataset={dataset} profiles={profiles} />
    </QueryClientProvider>,
  );
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
    expect(range()).toContain('Rows 1–16 of');

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

  it('requests a far jump at once but a scrollbar drag only when it is let go', async () => {
    const m = serve();
    setFetchImplementation(m.fn);
    renderGrid();
    await waitFor(() => expect(screen.getByText('city 1')).toBeTruthy());
    await waitFor(() => expect(m.calls.length).toBe(2)); // page 0, then two warmed in one
    const grid = screen.getByRole('grid');
    const param = (c: { url: string } | undefined, name: string) =>
      Number(new URL(c?.url ?? '', 'http://x').searchParams.get(name));
    const offsets = () => m.calls.map((c) => param(c, 'offset'));
    /** The first request made since `since` (the only one, with `only`) covers the rows from
     * `first` on that are in view. */
    const expectRequestFor = (since: number, first: number, only: boolean) => {
      if (only) expect(m.calls.length - since).toBe(1);
      const call = m.calls[since];
      expect(param(call, 'offset') % 200).toBe(0);
      expect(param(call, 'offset')).toBeLessThanOrEqual(first - 1);
      expect(param(call, 'offset') + param(call, 'limit')).toBeGreaterThanOrEqual(first + 15);
    };
    const scrollTo = (top: number) => {
      Object.defineProperty(grid, 'scrollTop', { configurable: true, writable: true, value: top });
      fireEvent.scroll(grid);
      return new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    };
    const rowAt = (top: number) =>
      Math.floor(((top / (15_000_000 - 512)) * (TOTAL * 32 - 512)) / 32) + 1;

    // A jump (a click on the track): one request, for the rows around the new position.
    await scrollTo(7_500_000);
    await waitFor(() => expect(screen.getByText(`city ${rowAt(7_500_000) + 2}`)).toBeTruthy());
    expectRequestFor(2, rowAt(7_500_000), true);

    // A drag: the thumb pressed, 20 frames through the data, then let go. The frames are 16 ms
    // apart on a fake clock, so the thumb never pauses however slow the machine running this.
    const before = m.calls.length;
    vi.useFakeTimers({
      toFake: [
        'setTimeout',
        'clearTimeout',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'performance',
      ],
    });
    try {
      fireEvent.mouseDown(grid, { clientX: 5000 });
      for (let i = 1; i <= 20; i += 1) {
        Object.defineProperty(grid, 'scrollTop', {
          configurable: true,
          writable: true,
          value: 7_500_000 - i * 300_000,
        });
        fireEvent.scroll(grid);
        vi.advanceTimersByTime(16);
      }
      expect(m.calls.length).toBe(before); // nothing while the thumb moves quickly
      fireEvent.mouseUp(window);
      vi.advanceTimersByTime(300); // the jumping settles: neighbours may be warmed
    } finally {
      vi.useRealTimers();
    }
    const last = rowAt(7_500_000 - 20 * 300_000);
    await waitFor(() => expect(screen.getByText(`city ${last + 2}`)).toBeTruthy());
    expect(offsets().slice(before).length).toBeGreaterThan(0);
    expectRequestFor(before, last, false);
    // Then the pages next to it are warmed, and that is all.
    await waitFor(() => expect(m.calls.length).toBeGreaterThan(before + 1));
    expect(m.calls.length).toBeLessThanOrEqual(before + 5);
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
