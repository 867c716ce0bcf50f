import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from './AppShell';
import { RouteError } from './RouteError';
import { NotFoundPage } from './NotFoundPage';
import { SignInPage } from '../features/auth/SignInPage';
import { RegisterPage } from '../features/auth/RegisterPage';
import { ProjectsPage } from '../features/projects/ProjectsPage';
import { ProjectPage } from '../features/projects/ProjectPage';
import { DatasetLayout } from '../features/datasets/DatasetLayout';
import { DataTab } from '../features/datasets/DataTab';
import { LoadingState } from '../ui';

// Heavy, less-visited screens are split out of the main bundle.
const ProfileView = lazy(() => import('../features/profile/ProfileView'));
const SqlView = lazy(() => import('../features/sql/SqlView'));
const TeamPage = lazy(() => import('../features/team/TeamPage'));

const later = (node: ReactNode) => <Suspense fallback={<LoadingState />}>{node}</Suspense>;

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage />, errorElement: <RouteError /> },
  { path: '/register', element: <RegisterPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/projects" replace /> },
      { path: 'projects', element: <ProjectsPage /> },
      { path: 'projects/:projectId', element: <ProjectPage /> },
      {
        path: 'datasets/:datasetId',
        element: <DatasetLayout />,
        children: [
          { index: true, element: <DataTab /> },
          { path: 'profile', element: later(<ProfileView />) },
          { path: 'sql', element: later(<SqlView />) },
        ],
      },
      { path: 'team', element: later(<TeamPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
