// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider } from 'react-router';
import { createQueryClient } from '../../api/queryClient';
import { setFetchImplementation } from '../../api/client';
import type { Dataset } from '../../api/types';
import { apiError, json, mockFetch } from '../../test/mockServer';
import SqlView from './SqlView';

const dataset = { id: 'd1', name: 'sales', columns: [] } as unknown as Dataset;

beforeAll(() => {
  // jsdom has no layout: give the virtualized results a viewport.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get: () => 400,
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get: () => 800,
  });
});
afterEach(cleanup);

function renderSql() {
  const router = createMemoryRouter(
    [
      {
        path: '/',
        element: <Outlet context={{ dataset }} />,
        children: [{ index: true, element: <SqlView /> }],
      },
    ],
    { initialEntries: ['/'] },
  );
  render(
    <QueryClientProvider client={createQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('SqlView', () => {
  it('runs the query on Ctrl+Enter and shows the results', async () => {
    const m = mockFetch(() =>
      json(200, {
        columns: ['category', 'n'],
        rows: [
          ['alpha', 3],
          ['beta', null],
        ],
        row_count: 2,
        truncated: false,
      }),
    );
    setFetchImplementation(m.fn);
    renderSql();
    const editor = screen.getByLabelText(/Query/);
    fireEvent.change(editor, {
      target: { value: 'SELECT category, COUNT(*) n FROM data GROUP BY 1' },
    });
    fireEvent.keyDown(editor, { key: 'Enter', ctrlKey: true });
    expect((await screen.findByTestId('sql-summary')).textContent).toMatch(/^2 rows/);
    expect(m.calls[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/datasets/d1/query',
      body: { sql: 'SELECT category, COUNT(*) n FROM data GROUP BY 1' },
    });
    expect(screen.getByText('alpha')).toBeTruthy();
    expect(screen.getByText('null')).toBeTruthy();
  });

  it('shows the server error message', async () => {
    setFetchImplementation(
      mockFetch(() => apiError(400, 'VALIDATION_ERROR', 'Only read-only statements are allowed.'))
        .fn,
    );
    renderSql();
    fireEvent.click(screen.getByRole('button', { name: 'Run query' }));
    expect(await screen.findByText('Only read-only statements are allowed.')).toBeTruthy();
  });

  it('says when results were truncated', async () => {
    setFetchImplementation(
      mockFetch(() => json(200, { columns: ['x'], rows: [[1]], row_count: 1, truncated: true })).fn,
    );
    renderSql();
    fireEvent.click(screen.getByRole('button', { name: 'Run query' }));
    expect((await screen.findByTestId('sql-summary')).textContent).toContain('truncated');
  });
});
