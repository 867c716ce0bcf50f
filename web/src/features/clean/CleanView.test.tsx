// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider } from 'react-router';
import { createQueryClient } from '../../api/queryClient';
import { setFetchImplementation } from '../../api/client';
import type { CleanPreview, Dataset } from '../../api/types';
import { json, mockFetch, type MockRequest } from '../../test/mockServer';
import CleanView from './CleanView';

const dataset = {
  id: 'd1',
  name: 'dirty',
  version: 1,
  row_count: 6,
  column_count: 3,
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'city', type: 'string' },
    { name: 'amount', type: 'float' },
  ],
} as unknown as Dataset;

const trim = { type: 'trim_whitespace', columns: ['city'] };

const preview: CleanPreview = {
  version: 1,
  before: {
    columns: ['id', 'city', 'amount'],
    rows: [
      [2, ' Paris ', 20],
      [6, 'Lyon', 1000],
    ],
  },
  after: { columns: ['id', 'city', 'amount'], rows: [[2, 'Paris', 20], null] },
  changed_cells: [['city'], ['id', 'city', 'amount']],
  affected_rows: 2,
  row_count_before: 6,
  row_count_after: 5,
  quality_before: 71.2,
  quality_after: 78.9,
  operations: [{ type: 'trim_whitespace', rows_before: 6, rows_after: 6, affected_rows: 1 }],
};

const versions = {
  items: [
    {
      version: 1,
      parent_version: null,
      row_count: 6,
      column_count: 3,
      quality_score: 71.2,
      operations: [{ type: 'ingest' }],
      created_at: '2025-01-01T10:00:00Z',
      created_by: 'u1',
    },
    {
      version: 2,
      parent_version: 1,
      row_count: 6,
      column_count: 3,
      quality_score: 78.9,
      operations: [trim],
      created_at: '2025-01-02T10:00:00Z',
      created_by: 'u2',
    },
  ],
};

const history = {
  items: [
    {
      id: 'h1',
      kind: 'clean',
      version: 2,
      parent_version: 1,
      op_index: 0,
      operation: trim,
      rows_before: 6,
      rows_after: 6,
      affected_rows: 1,
      quality_before: 71.2,
      quality_after: 78.9,
      message: 'tidy cities',
      job_id: 'j0',
      created_by: 'u2',
      created_at: '2025-01-02T10:00:00Z',
    },
  ],
  total: 1,
  head_version: 2,
};

type Route = (req: MockRequest) => Response | undefined;

function server(permissions: string[], extra: Route = () => undefined) {
  return mockFetch((req) => {
    const custom = extra(req);
    if (custom) return custom;
    const p = req.path.replace('/api/v1', '');
    if (p === '/auth/me')
      return json(200, {
        user: { id: 'u1', email: 'me@example.com' },
        organization: { id: 'o', name: 'O' },
        role: permissions.length ? 'analyst' : 'viewer',
        permissions,
      });
    if (p === '/organization/members')
      return json(200, { items: [{ user_id: 'u2', email: 'bo@example.com', role: 'analyst' }] });
    if (p === '/datasets/d1/suggestions')
      return json(200, {
        version: 1,
        items: [
          {
            id: 's1',
            operation: trim,
            rationale: '2 values of city have spaces around them',
            affected_rows: 2,
            expected_quality_gain: 2.5,
            safe: true,
          },
        ],
      });
    if (p === '/datasets/d1/versions') return json(200, versions);
    if (p === '/datasets/d1/history') return json(200, history);
    if (p === '/datasets/d1/clean/preview') return json(200, preview);
    if (p === '/datasets/d1/clean')
      return json(202, { job: { id: 'j1', status: 'queued', progress: 0 } });
    if (p === '/datasets/d1/versions/1/restore')
      return json(202, { job: { id: 'j2', status: 'queued', progress: 0 } });
    if (p === '/jobs/j1')
      return json(200, { id: 'j1', status: 'succeeded', progress: 100, result: { version: 3 } });
    if (p === '/jobs/j2')
      return json(200, { id: 'j2', status: 'succeeded', progress: 100, result: { version: 1 } });
    return json(404, { error: { code: 'NOT_FOUND', message: `no route ${p}` } });
  });
}

function renderClean() {
  const router = createMemoryRouter(
    [
      {
        path: '/',
        element: <Outlet context={{ dataset }} />,
        children: [{ index: true, element: <CleanView /> }],
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

beforeEach(() => {
  // No WebSocket here: jobs are followed by polling.
  vi.stubGlobal('WebSocket', undefined);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('CleanView', () => {
  it('previews a suggestion, shows the diff, applies it and follows the job', async () => {
    const m = server(['data:write']);
    setFetchImplementation(m.fn);
    renderClean();

    const previewButton = await screen.findByRole('button', {
      name: 'Preview: Trim whitespace in “city”',
    });
    expect(screen.getByText('2 values of city have spaces around them')).toBeTruthy();
    expect(screen.getByText('Safe')).toBeTruthy();
    // Nothing to apply before a preview.
    expect(screen.queryByRole('button', { name: 'Apply as new version' })).toBeNull();
    fireEvent.click(previewButton);

    expect((await screen.findByTestId('preview-affected')).textContent).toBe('2');
    expect(m.calls.find((c) => c.path.endsWith('/clean/preview'))?.body).toEqual({
      operations: [trim],
    });
    const rows = screen.getAllByTestId('diff-row');
    expect(rows).toHaveLength(2);
    const changed = rows[0]!.querySelectorAll('td[data-changed]');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.querySelector('del')?.textContent).toContain('Paris');
    expect(changed[0]!.querySelector('ins')?.textContent).toContain('Paris');
    expect(rows[1]!.getAttribute('data-removed')).toBe('true');
    expect(screen.getByText('removed')).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/Message/), { target: { value: 'trim cities' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply as new version' }));
    expect((await screen.findByTestId('apply-done')).textContent).toContain('version 3');
    expect(m.calls.find((c) => c.method === 'POST' && c.path.endsWith('/d1/clean'))?.body).toEqual({
      operations: [trim],
      base_version: 1,
      message: 'trim cities',
    });
    // The head moved: the history is read again.
    await waitFor(() =>
      expect(m.calls.filter((c) => c.path.endsWith('/history')).length).toBeGreaterThan(1),
    );
  });

  it('builds a recipe, checks it, and shows the server error on the failing step', async () => {
    const m = server(['data:write'], (req) =>
      req.path.endsWith('/clean/preview')
        ? json(400, {
            error: {
              code: 'VALIDATION_ERROR',
              message: "operation 2 (change_case): unknown column 'city'",
              details: { index: 1, field: 'column' },
            },
          })
        : undefined,
    );
    setFetchImplementation(m.fn);
    renderClean();
    await screen.findByRole('heading', { name: /Recipe/ });

    fireEvent.change(screen.getByLabelText('Operation to add'), {
      target: { value: 'rename_column' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }));
    const [renameStep] = screen.getAllByTestId('recipe-step');
    fireEvent.change(within(renameStep!).getByLabelText('Column'), { target: { value: 'city' } });

    // Incomplete: the preview is refused on the client with the field named.
    fireEvent.click(screen.getByRole('button', { name: 'Preview recipe' }));
    expect(within(renameStep!).getByText('Enter a name.')).toBeTruthy();
    expect(m.calls.some((c) => c.path.endsWith('/clean/preview'))).toBe(false);

    fireEvent.change(within(renameStep!).getByLabelText('New name'), { target: { value: 'town' } });
    fireEvent.change(screen.getByLabelText('Operation to add'), {
      target: { value: 'change_case' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }));
    const caseStep = screen.getAllByTestId('recipe-step')[1]!;
    // Later steps see the renamed column.
    const picker = within(caseStep).getByLabelText('Column') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.value)).toEqual(['town']);

    fireEvent.click(screen.getByRole('button', { name: 'Preview recipe' }));
    await waitFor(() =>
      expect(
        within(caseStep).getByText("operation 2 (change_case): unknown column 'city'"),
      ).toBeTruthy(),
    );
    expect(caseStep.getAttribute('aria-invalid')).toBe('true');
    expect(m.calls.find((c) => c.path.endsWith('/clean/preview'))?.body).toEqual({
      operations: [
        { type: 'rename_column', from: 'city', to: 'town' },
        { type: 'change_case', column: 'town', case: 'lower' },
      ],
    });
  });

  it('imports a pasted recipe into the builder', async () => {
    setFetchImplementation(server(['data:write']).fn);
    renderClean();
    fireEvent.click(await screen.findByRole('button', { name: 'Paste recipe' }));
    fireEvent.change(screen.getByLabelText('Recipe JSON'), {
      target: { value: '{"operations":[{"type":"nope"}]}' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add steps' }));
    expect(screen.getByText('Operation 1 has an unknown type "nope".')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Recipe JSON'), {
      target: {
        value: JSON.stringify({ operations: [trim, { type: 'deduplicate', keep: 'last' }] }),
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add steps' }));
    const steps = screen.getAllByTestId('recipe-step');
    expect(steps.map((s) => s.querySelector('.step__summary')?.textContent)).toEqual([
      'Trim whitespace in “city”',
      'Remove duplicate rows, keep last',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Move step 2 up' }));
    expect(screen.getAllByTestId('recipe-step')[0]!.textContent).toContain('Remove duplicates');
    fireEvent.click(screen.getByRole('button', { name: 'Remove step 1' }));
    expect(screen.getAllByTestId('recipe-step')).toHaveLength(1);
  });

  it('shows history with the head and restores an earlier version after confirmation', async () => {
    const m = server(['data:write']);
    setFetchImplementation(m.fn);
    renderClean();
    const v2 = await screen.findByRole('listitem', { current: true });
    expect(v2.textContent).toContain('Version 2');
    expect(v2.textContent).toContain('Head');
    expect(v2.textContent).toContain('tidy cities');
    expect(v2.textContent).toContain('bo@example.com');
    expect(within(v2).queryByRole('button', { name: /Restore/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Restore version 1' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByRole('heading', { name: 'Restore version 1?' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore version 1' }));
    expect((await screen.findByTestId('restore-done')).textContent).toContain('version 1');
    expect(m.calls.some((c) => c.method === 'POST' && c.path.endsWith('/versions/1/restore'))).toBe(
      true,
    );
  });

  it('is read-only for viewers: suggestions and history, no preview, apply or restore', async () => {
    const m = server([]);
    setFetchImplementation(m.fn);
    renderClean();
    await screen.findByText('2 values of city have spaces around them');
    await screen.findByText(/Cleaning needs edit access/);
    await screen.findAllByTestId('timeline-version');
    expect(screen.queryByRole('button', { name: /^Preview/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Add to recipe/ })).toBeNull();
    expect(screen.queryByRole('heading', { name: /Recipe/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Restore/ })).toBeNull();
    expect(m.calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
