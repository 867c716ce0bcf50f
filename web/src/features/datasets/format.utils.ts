import type { Cell, ColumnType } from '../../api/types';

// Formatters are made when first used and kept: creating an Intl.NumberFormat costs far more
// than formatting with one (the grid formats every float cell in view), and the first one made
// loads the locale's data — work for the first render, not for loading the app.
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', options);
    formatters.set(key, f);
  }
  return f;
}

export function formatInteger(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? '—' : formatter('int', {}).format(n);
}

export function formatCompact(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n)
    ? '—'
    : formatter('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/** Numbers with up to `digits` significant decimals, thousands separated. */
export function formatNumber(n: number | null | undefined, digits = 2): string {
  if (n == null || !Number.isFinite(n)) return '—';
  if (Number.isInteger(n)) return formatInteger(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return n.toExponential(digits);
  const fraction = abs < 1 ? digits + 2 : digits;
  return formatter(`fraction:${fraction}`, { maximumFractionDigits: fraction }).format(n);
}

export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (share == null || !Number.isFinite(share)) return '—';
  const pct = share * 100;
  if (pct > 0 && pct < 0.1) return '<0.1%';
  return `${pct.toFixed(pct === 0 || pct === 100 ? 0 : digits)}%`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Text for a grid cell; null is shown as a muted marker by the caller. */
export function formatCell(value: Cell | undefined, type?: ColumnType): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return type === 'integer' ? String(value) : formatNumber(value, 4).replace(/,/g, '');
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

export function isNumericType(type: ColumnType | string | undefined): boolean {
  return type === 'integer' || type === 'float' || type === 'decimal';
}

/** A one/two-glyph type marker shown in column headers (with a text label for screen readers). */
export function typeGlyph(type: ColumnType | string | undefined): string {
  switch (type) {
    case 'integer':
      return '#';
    case 'float':
    case 'decimal':
      return '.0';
    case 'boolean':
      return '◐';
    case 'date':
      return 'D';
    case 'timestamp':
      return 'DT';
    case 'time':
      return 'T';
    case 'string':
      return 'Aa';
    default:
      return '?';
  }
}

export function typeLabel(type: ColumnType | string | undefined): string {
  return type ? `${type} column` : 'column of unknown type';
}
