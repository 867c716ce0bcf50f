import { useEffect } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, useNavigate } from 'react-router';
import { createQueryClient } from '../api/queryClient';
import { setUnauthenticatedHandler } from '../api/client';
import { primeFromEarlyResponses } from './prime';
import { signInPathFor } from '../features/auth/auth.utils';
import { AppRoutes } from './router';

const queryClient = createQueryClient();
// The first screen's answers that public/boot.js asked for go into the cache before the first
// render, so that screen renders with its data instead of a loading state first.
primeFromEarlyResponses(queryClient, window.location.pathname);

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
