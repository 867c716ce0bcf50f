import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <main className="page page--center">
      <div className="state state--error" role="alert">
        <div className="state__icon" aria-hidden="true">
          !
        </div>
        <h1 className="state__title">This screen failed to load</h1>
        <p className="state__body">{message}</p>
        <p className="state__action">
          <Link className="btn btn--primary btn--md" to="/projects">
            Back to projects
          </Link>
        </p>
      </div>
    </main>
  );
}
