import { useEffect } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, useNavigate } from 'react-router';
import { setUnauthenticatedHandler } from '../api/client';
import { queryClient } from './startup';
import { signInPathFor } from '../features/auth/auth.utils';
import { AppRoutes } from './router';

/** Sends the person to sign-in once a session refresh has failed. */
function UnauthenticatedRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      const { pathname, search } = window.location;
      if (pathname.startsWith('/sign-in') || pathname.startsWith('/register')) return;
      queryClient.clear();
      void navigate(signInPathFor(pathname + search), { replace: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, [navigate]);
  return null;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <UnauthenticatedRedirect />
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
