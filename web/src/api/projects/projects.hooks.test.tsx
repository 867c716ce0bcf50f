// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { createQueryClient } from '../queryClient';
import { setFetchImplementation } from '../client';
import { ApiError } from '../errors';
import { apiError, json, mockFetch } from '../../test/mockServer';
import { useProjects } from './useProjects';
import { useCreateProject } from './useCreateProject';

function wrapper() {
  const qc = createQueryClient();
  return ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  );
}

describe('project hooks', () => {
  it('refetches the list after a create (invalidation by key prefix)', async () => {
    const projects: { id: string; name: string }[] = [];
    const m = mockFetch((req) => {
      if (req.method === 'POST') {
        const p = { id: `p${projects.length + 1}`, name: (req.body as { name: string }).name };
        projects.push(p);
        return json(201, p);
      }
      return json(200, { items: [...projects], total: projects.length });
    });
    setFetchImplementation(m.fn);
    const Wrapper = wrapper();
    const { result } = renderHook(() => ({ list: useProjects(), create: useCreateProject() }), {
      wrapper: Wrapper,
    });
    await waitFor(() => expect(result.current.list.data?.items).toEqual([]));
    await act(() => result.current.create.mutateAsync({ name: 'Sales' }));
    await waitFor(() =>
      expect(result.current.list.data?.items.map((p) => p.name)).toEqual(['Sales']),
    );
    expect(m.calls.filter((c) => c.method === 'GET')).toHaveLength(2);
  });

  it('does not retry a 403 and exposes the ApiError', async () => {
    const m = mockFetch(() =>
      apiError(403, 'FORBIDDEN', 'Viewers cannot list this', { 'X-Request-Id': 'r1' }),
    );
    setFetchImplementation(m.fn);
    const { result } = renderHook(() => useProjects(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(ApiError);
    expect((result.current.error as ApiError).requestId).toBe('r1');
    expect(m.calls).toHaveLength(1);
  });
});
