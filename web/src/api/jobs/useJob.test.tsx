// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import { createQueryClient } from '../queryClient';
import { setFetchImplementation } from '../client';
import { json, mockFetch } from '../../test/mockServer';
import { useJob } from './useJob';

describe('useJob', () => {
  it('polls GET /jobs/{id} when no socket is live and stops once the job finishes', async () => {
    // No WebSocket in this environment: the hook must fall back to polling.
    vi.stubGlobal('WebSocket', undefined);
    let n = 0;
    const m = mockFetch(() => {
      n += 1;
      return json(200, {
        id: 'j1',
        status: n >= 3 ? 'succeeded' : 'running',
        progress: Math.min(100, n * 40),
      });
    });
    setFetchImplementation(m.fn);
    const qc = createQueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={qc}>{children}</QueryClientProvider>
    );
    const { result } = renderHook(() => useJob('j1', 10), { wrapper });
    await waitFor(() => expect(result.current.data?.status).toBe('succeeded'));
    const calls = m.calls.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(m.calls.length).toBe(calls);
    expect(m.calls[0]?.path).toBe('/api/v1/jobs/j1');
    vi.unstubAllGlobals();
  });

  it('does nothing without an id', () => {
    const m = mockFetch(() => json(200, {}));
    setFetchImplementation(m.fn);
    const qc = createQueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={qc}>{children}</QueryClientProvider>
    );
    const { result } = renderHook(() => useJob(null), { wrapper });
    expect(result.current.fetchStatus).toBe('idle');
    expect(m.calls).toHaveLength(0);
  });
});
