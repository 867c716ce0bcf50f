export function ProgressBar({
  value,
  label,
  indeterminate = false,
}: {
  value: number;
  label: string;
  indeterminate?: boolean;
}) {
  const pct = Math.max(0, Math.min(100, value));
  return (
    <div
      className={`progress${indeterminate ? ' progress--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={indeterminate ? undefined : pct}
    >
      <div className="progress__bar" style={{ width: indeterminate ? undefined : `${pct}%` }} />
    </div>
  );
}
