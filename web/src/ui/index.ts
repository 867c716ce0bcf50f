export { Button } from './Button';
export { TextField, SelectField } from './Field';
export { Spinner, LoadingState, EmptyState, ErrorState, InlineError } from './States';
export { Badge } from './Badge';
export { ProgressBar } from './ProgressBar';
export { Dialog } from './Dialog';
export { Menu } from './Menu';
export { useDocumentTitle } from './useDocumentTitle';
export { afterNextPaint, usePainted } from './afterPaint';
