// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { createQueryClient } from '../../api/queryClient';
import { setFetchImplementation } from '../../api/client';
import { apiError, json, mockFetch } from '../../test/mockServer';
import { SignInPage } from './SignInPage';

afterEach(cleanup);

function renderSignIn(initial = '/sign-in') {
  const router = createMemoryRouter(
    [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '*', element: <p>Landed</p> },
    ],
    { initialEntries: [initial] },
  );
  render(
    <QueryClientProvider client={createQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

function fill(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInPage', () => {
  it('shows the server message on bad credentials', async () => {
    setFetchImplementation(
      mockFetch(() => apiError(401, 'UNAUTHENTICATED', 'Invalid email or password')).fn,
    );
    renderSignIn();
    fill('a@b.io', 'wrongpass');
    expect(await screen.findByText('Invalid email or password')).toBeTruthy();
  });

  it('shows the wait on 429', async () => {
    setFetchImplementation(
      mockFetch(() => apiError(429, 'RATE_LIMITED', 'Too many', { 'Retry-After': '30' })).fn,
    );
    renderSignIn();
    fill('a@b.io', 'wrongpass');
    expect(await screen.findByText('Too many attempts, try again in 30 s')).toBeTruthy();
  });

  it('validates before calling the server', async () => {
    const m = mockFetch(() => json(200, {}));
    setFetchImplementation(m.fn);
    renderSignIn();
    fill('', '');
    expect(await screen.findByText('Enter your email address.')).toBeTruthy();
    expect(m.calls).toHaveLength(0);
  });

  it('goes to the intended URL after signing in', async () => {
    setFetchImplementation(mockFetch(() => json(200, { user: { id: 'u', email: 'a@b.io' } })).fn);
    const router = renderSignIn('/sign-in?next=%2Fdatasets%2Fd1');
    fill('a@b.io', 'password1');
    expect(await screen.findByText('Landed')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/datasets/d1');
  });
});
