import { Component, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';

/** What a screen that failed to render shows (a chunk that did not load, a bug). */
export function RouteError({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : 'Unknown error';
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

class Boundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: unknown; failedAt: string | null }
> {
  override state = { error: null as unknown, failedAt: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(
    props: { resetKey: string },
    state: { error: unknown; failedAt: string | null },
  ) {
    // Moving to another screen gives it a fresh start.
    if (state.failedAt === null && state.error !== null) return { failedAt: props.resetKey };
    if (state.failedAt !== null && state.failedAt !== props.resetKey) {
      return { error: null, failedAt: null };
    }
    return null;
  }

  override render() {
    return this.state.error !== null ? (
      <RouteError error={this.state.error} />
    ) : (
      this.props.children
    );
  }
}

/** Catches a screen's render errors and shows RouteError until the location changes. */
export function RouteErrorBoundary({ children }: { children: ReactNode }) {
  const location = useLocation();
  return <Boundary resetKey={location.pathname}>{children}</Boundary>;
}
