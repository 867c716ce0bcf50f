import { useEffect } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { createQueryClient } from '../api/queryClient';
import { setUnauthenticatedHandler } from '../api/client';
import { signInPathFor } from '../features/auth/auth.utils';
import { router } from './router';

const queryClient = createQueryClient();

export function App() {
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      const { pathname, search } = window.location;
      if (pathname.startsWith('/sign-in') || pathname.startsWith('/register')) return;
      queryClient.clear();
      void router.navigate(signInPathFor(pathname + search), { replace: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, []);

  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
