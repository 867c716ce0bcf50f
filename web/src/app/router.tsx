import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppShell } from './AppShell';
import { RouteErrorBoundary } from './RouteError';
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

/**
 * The app's routes. Declared as elements inside the `BrowserRouter` of App.tsx rather than
 * with `createBrowserRouter`: the app uses no loaders, actions or fetchers, and the data
 * router's code (about 50 KB of the first screen's JavaScript) is then left out. A screen
 * that throws while rendering shows `RouteErrorBoundary` instead of a blank page.
 */
export function AppRoutes() {
  return (
    <RouteErrorBoundary>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/register" element={later(<RegisterPage />)} />
        <Route path="/" element={<AppShell />}>
          <Route index element={<Navigate to="/projects" replace />} />
          <Route path="projects" element={<ProjectsPage />} />
          <Route path="projects/:projectId" element={later(<ProjectPage />)} />
          <Route path="datasets/:datasetId" element={<DatasetLayout />}>
            <Route index element={<DataTab />} />
            <Route path="profile" element={later(<ProfileView />)} />
            <Route path="sql" element={later(<SqlView />)} />
            <Route path="clean" element={later(<CleanView />)} />
          </Route>
          <Route path="team" element={later(<TeamPage />)} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </RouteErrorBoundary>
  );
}
