import { Link } from 'react-router';
import { EmptyState } from '../ui';

export function NotFoundPage() {
  return (
    <div className="page">
      <EmptyState
        title="Page not found"
        icon="404"
        action={
          <Link className="btn btn--primary btn--md" to="/projects">
            Go to projects
          </Link>
        }
      >
        The address may be mistyped, or the item was removed.
      </EmptyState>
    </div>
  );
}
