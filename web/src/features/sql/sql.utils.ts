export const DEFAULT_SQL = 'SELECT *\nFROM data\nLIMIT 100';

/** Ctrl+Enter (or Cmd+Enter on macOS) runs the query. */
export function isRunShortcut(e: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey);
}

export function canRun(sql: string): boolean {
  return sql.trim().length > 0;
}

export function resultSummary(rowCount: number, truncated: boolean, ms: number | null): string {
  const rows = `${rowCount.toLocaleString('en-US')} row${rowCount === 1 ? '' : 's'}`;
  const time =
    ms == null ? '' : ` in ${ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`}`;
  return truncated
    ? `${rows}${time} — truncated; add a LIMIT or aggregate to see everything`
    : `${rows}${time}`;
}
