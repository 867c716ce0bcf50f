import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/errors';
import { Button } from './Button';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <span className="spinner" role="status" aria-label={label}>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state--loading" aria-live="polite">
      <Spinner label={label} />
      <p>{label}</p>
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
  icon = '∅',
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="state state--empty">
      <div className="state__icon" aria-hidden="true">
        {icon}
      </div>
      <h3 className="state__title">{title}</h3>
      {children && <div className="state__body">{children}</div>}
      {action && <div className="state__action">{action}</div>}
    </div>
  );
}

/** Server error text, with the request id for support, and a retry when one makes sense. */
export function ErrorState({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div className="state state--error" role="alert">
      <div className="state__icon" aria-hidden="true">
        !
      </div>
      <h3 className="state__title">{title}</h3>
      <p className="state__body">{errorMessage(error)}</p>
      {requestId && <p className="state__meta">Request id: {requestId}</p>}
      {onRetry && (
        <div className="state__action">
          <Button onClick={onRetry}>Try again</Button>
        </div>
      )}
    </div>
  );
}

/** An inline error line for forms and panels. */
export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div className="alert alert--error" role="alert">
      <span>{errorMessage(error)}</span>
      {requestId && <span className="alert__meta">Request id {requestId}</span>}
    </div>
  );
}
