import type { ColumnProfile, Correlations, Histogram, ProfileAlert } from '../../api/types';

export type SeverityGroup = 'critical' | 'warning' | 'info';

/** Servers may say high/medium/low or critical/warning/info; both map to three groups. */
export function severityGroup(severity: string): SeverityGroup {
  const s = severity.toLowerCase();
  if (s === 'critical' || s === 'high' || s === 'error') return 'critical';
  if (s === 'warning' || s === 'medium' || s === 'warn') return 'warning';
  return 'info';
}

export const SEVERITY_ORDER: SeverityGroup[] = ['critical', 'warning', 'info'];

export const SEVERITY_LABEL: Record<SeverityGroup, string> = {
  critical: 'Critical',
  warning: 'Warnings',
  info: 'Notes',
};

export function groupAlerts(
  alerts: readonly ProfileAlert[],
): { group: SeverityGroup; alerts: ProfileAlert[] }[] {
  const buckets = new Map<SeverityGroup, ProfileAlert[]>();
  for (const a of alerts) {
    const g = severityGroup(a.severity);
    const list = buckets.get(g) ?? [];
    list.push(a);
    buckets.set(g, list);
  }
  return SEVERITY_ORDER.filter((g) => buckets.has(g)).map((g) => ({
    group: g,
    alerts: buckets.get(g)!,
  }));
}

export type ScoreTone = 'good' | 'fair' | 'poor';

export function scoreTone(score: number | null | undefined): ScoreTone {
  if (score == null || !Number.isFinite(score)) return 'fair';
  if (score >= 85) return 'good';
  if (score >= 60) return 'fair';
  return 'poor';
}

export function scoreLabel(score: number | null | undefined): string {
  const tone = scoreTone(score);
  return tone === 'good' ? 'Good' : tone === 'fair' ? 'Fair' : 'Needs attention';
}

export const QUALITY_DIMENSIONS = [
  { key: 'completeness', label: 'Completeness', hint: 'Share of values that are present' },
  { key: 'validity', label: 'Validity', hint: 'Values that match their column type and format' },
  { key: 'consistency', label: 'Consistency', hint: 'Uniform formats and units within columns' },
  { key: 'uniqueness', label: 'Uniqueness', hint: 'Absence of duplicate rows' },
] as const;

/** Rows for a Vega-Lite bar chart of a histogram: one per bin with its edges. */
export function histogramData(
  h: Histogram | null | undefined,
): { bin: number; bin_end: number; count: number }[] {
  if (!h || !Array.isArray(h.counts) || !Array.isArray(h.edges)) return [];
  const out: { bin: number; bin_end: number; count: number }[] = [];
  for (let i = 0; i < h.counts.length; i += 1) {
    const start = h.edges[i];
    const end = h.edges[i + 1];
    const count = h.counts[i];
    if (start === undefined || end === undefined || count === undefined) break;
    out.push({ bin: start, bin_end: end, count });
  }
  return out;
}

/** Long-form cells for a correlation heatmap, skipping missing coefficients. */
export function correlationCells(
  c: Correlations | null | undefined,
): { x: string; y: string; r: number }[] {
  if (!c || !Array.isArray(c.columns) || !Array.isArray(c.matrix)) return [];
  const out: { x: string; y: string; r: number }[] = [];
  c.columns.forEach((y, i) => {
    c.columns.forEach((x, j) => {
      const r = c.matrix[i]?.[j];
      if (typeof r === 'number' && Number.isFinite(r)) out.push({ x, y, r });
    });
  });
  return out;
}

/** Column names that have at least one alert, for badges in the column list. */
export function alertCountByColumn(alerts: readonly ProfileAlert[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of alerts) if (a.column) m.set(a.column, (m.get(a.column) ?? 0) + 1);
  return m;
}

export function hasNumericStats(col: ColumnProfile): boolean {
  return col.mean != null || col.std != null || col.quantiles != null;
}

/** Quality numbers may come as 0-1 or 0-100; the UI always shows 0-100. */
export function toPercentScore(v: number | null | undefined): number | null {
  if (v == null || !Number.isFinite(v)) return null;
  return v <= 1 && v >= 0 && !Number.isInteger(v)
    ? Math.round(v * 1000) / 10
    : Math.round(v * 10) / 10;
}
