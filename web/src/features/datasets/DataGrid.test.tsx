// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
    expect(m.calls.at(-1)?.url).toBe(`/api/v1/datasets/d1/rows?offset=${TOTAL - 200}&limit=200`);
    // Only the pages for the window were requested, not everything in between.
    expect(m.calls.length).toBeLessThanOrEqual(3);
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
