import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from './AppShell';
import { RouteError } from './RouteError';
import { NotFoundPage } from './NotFoundPage';
import { SignInPage } from '../features/auth/SignInPage';
import { ProjectsPage } from '../features/projects/ProjectsPage';
import { DatasetLayout } from '../features/datasets/DatasetLayout';
import { DataTab } from '../features/datasets/DataTab';
import { LoadingState } from '../ui';

// Heavy, less-visited screens are split out of the main bundle.
const ProfileView = lazy(() => import('../features/profile/ProfileView'));
const SqlView = lazy(() => import('../features/sql/SqlView'));
const CleanView = lazy(() => import('../features/clean/CleanView'));
const TeamPage = lazy(() => import('../features/team/TeamPage'));
// Not a first screen (sign-in, the project list, a dataset's grid): kept out of its bundle.
const RegisterPage = lazy(() =>
  import('../features/auth/RegisterPage').then((m) => ({ default: m.RegisterPage })),
);
const ProjectPage = lazy(() =>
  import('../features/projects/ProjectPage').then((m) => ({ default: m.ProjectPage })),
);

const later = (node: ReactNode) => <Suspense fallback={<LoadingState />}>{node}</Suspense>;

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage />, errorElement: <RouteError /> },
  { path: '/register', element: later(<RegisterPage />), errorElement: <RouteError /> },
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/projects" replace /> },
      { path: 'projects', element: <ProjectsPage /> },
      { path: 'projects/:projectId', element: later(<ProjectPage />) },
      {
        path: 'datasets/:datasetId',
        element: <DatasetLayout />,
        children: [
          { index: true, element: <DataTab /> },
          { path: 'profile', element: later(<ProfileView />) },
          { path: 'sql', element: later(<SqlView />) },
          { path: 'clean', element: later(<CleanView />) },
        ],
      },
      { path: 'team', element: later(<TeamPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
