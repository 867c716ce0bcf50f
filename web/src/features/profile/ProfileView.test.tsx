// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider } from 'react-router';
import { createQueryClient } from '../../api/queryClient';
import { setFetchImplementation } from '../../api/client';
import type { Dataset, Profile } from '../../api/types';
import { apiError, json, mockFetch } from '../../test/mockServer';
import ProfileView from './ProfileView';

vi.mock('vega-embed', () => ({
  default: vi.fn(async (el: HTMLElement) => {
    el.innerHTML = '<svg data-chart="1"></svg>';
    return { finalize: () => undefined };
  }),
}));

afterEach(cleanup);

const dataset = { id: 'd1', name: 'sales', columns: [] } as unknown as Dataset;

const profile: Profile = {
  row_count: 1000,
  column_count: 2,
  duplicate_row_count: 4,
  quality: { score: 82.4, completeness: 90, validity: 95, consistency: 70, uniqueness: 99.6 },
  alerts: [
    { column: 'amount', kind: 'missing', message: '12% of values are empty', severity: 'warning' },
    { kind: 'duplicates', message: '4 duplicate rows', severity: 'info' },
  ],
  correlations: {
    method: 'pearson',
    columns: ['id', 'amount'],
    matrix: [
      [1, 0.2],
      [0.2, 1],
    ],
  },
  columns: [
    {
      name: 'id',
      type: 'integer',
      semantic_type: 'id',
      count: 1000,
      null_count: 0,
      distinct_count: 1000,
      min: 1,
      max: 1000,
    },
    {
      name: 'amount',
      type: 'float',
      semantic_type: 'currency',
      count: 1000,
      null_count: 120,
      distinct_count: 800,
      min: 1.5,
      max: 990.25,
      mean: 250.5,
      std: 80.1,
      quantiles: { p25: 100, p50: 240, p75: 400 },
      histogram: { edges: [0, 500, 1000], counts: [700, 180] },
      top_values: [{ value: 9.99, count: 30 }],
    },
  ],
  hierarchies: [{ levels: ['country', 'city'] }],
};

function renderProfile() {
  const router = createMemoryRouter(
    [
      {
        path: '/',
        element: <Outlet context={{ dataset }} />,
        children: [{ index: true, element: <ProfileView /> }],
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

describe('ProfileView', () => {
  it('shows the score, dimensions, grouped alerts, columns and hierarchies', async () => {
    setFetchImplementation(mockFetch(() => json(200, profile)).fn);
    renderProfile();
    expect((await screen.findByTestId('quality-score')).textContent).toContain('82');
    expect(screen.getByRole('meter', { name: 'Consistency' }).getAttribute('aria-valuenow')).toBe(
      '70',
    );
    expect(screen.getByText('Warnings')).toBeTruthy();
    expect(screen.getByText('Notes')).toBeTruthy();
    expect(screen.getByText('country › city')).toBeTruthy();
    // The alert links to its column's detail.
    fireEvent.click(screen.getByRole('button', { name: 'amount' }));
    expect(screen.getByRole('heading', { name: 'amount', level: 3 })).toBeTruthy();
    expect(screen.getByText('120 (12.0%)')).toBeTruthy();
    expect(await screen.findAllByRole('figure')).toHaveLength(2);
  });

  it('shows the server error with its request id', async () => {
    setFetchImplementation(
      mockFetch(() => apiError(404, 'NOT_FOUND', 'Dataset not found', { 'X-Request-Id': 'rq-1' }))
        .fn,
    );
    renderProfile();
    expect(await screen.findByText('Dataset not found')).toBeTruthy();
    expect(screen.getByText('Request id: rq-1')).toBeTruthy();
  });
});
