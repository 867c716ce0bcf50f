import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useMe } from '../api/auth/useMe';
import { useLogout } from '../api/auth/useLogout';
import { ApiError } from '../api/errors';
import { canManageOrg, isReadOnly } from '../features/auth/permissions.utils';
import { signInPathFor } from '../features/auth/auth.utils';
import { roleLabel } from '../features/team/team.utils';
import { Badge, Button, ErrorState, LoadingState } from '../ui';

export function AppShell() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();

  if (me.isPending) {
    return (
      <main className="page page--center">
        <LoadingState label="Loading your workspace…" />
      </main>
    );
  }
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <Navigate to={signInPathFor(location.pathname + location.search)} replace />;
    }
    return (
      <main className="page page--center">
        <ErrorState
          error={me.error}
          title="Could not load your session"
          onRetry={() => void me.refetch()}
        />
      </main>
    );
  }

  const { user, organization, role } = me.data;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/projects" className="brand" aria-label="DataMorph home">
          <span className="brand__mark" aria-hidden="true">
            D
          </span>
          <span className="brand__name">DataMorph</span>
        </Link>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/projects" className="topnav__link">
            Projects
          </NavLink>
          {canManageOrg(me.data) && (
            <NavLink to="/team" className="topnav__link">
              Team
            </NavLink>
          )}
        </nav>
        <div className="topbar__account">
          {isReadOnly(me.data) && (
            <Badge tone="neutral" title="Your role can view data but not change it">
              Read-only
            </Badge>
          )}
          <div className="account" title={user.email}>
            <span className="account__org">{organization.name}</span>
            <span className="account__user">
              {user.full_name || user.email} ·{' '}
              <span className="account__role">{roleLabel(role)}</span>
            </span>
          </div>
          <Button
            variant="ghost"
            size="sm"
            busy={logout.isPending}
            onClick={() =>
              logout.mutate(undefined, {
                // Signed out locally even if the server call failed (session already gone).
                onSettled: () =>
                  void Promise.resolve(navigate('/sign-in', { replace: true })).then(logout.forget),
              })
            }
          >
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" className="shell__main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
