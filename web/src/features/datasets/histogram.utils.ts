export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
}

/**
 * Bars of a mini histogram in a width x height box. Heights are scaled to the largest
 * count; any non-zero bin gets at least 1 px so sparse bins stay visible.
 */
export function histogramBars(
  counts: readonly number[],
  width: number,
  height: number,
  gap = 1,
): Bar[] {
  const n = counts.length;
  if (n === 0 || width <= 0 || height <= 0) return [];
  const max = Math.max(0, ...counts.map((c) => (Number.isFinite(c) ? c : 0)));
  const slot = width / n;
  const barWidth = Math.max(0.5, slot - gap);
  return counts.map((raw, i) => {
    const count = Number.isFinite(raw) && raw > 0 ? raw : 0;
    const h = max === 0 ? 0 : count === 0 ? 0 : Math.max(1, (count / max) * height);
    return { x: i * slot, y: height - h, width: barWidth, height: h, count };
  });
}

/** Share of nulls in [0, 1]; 0 when the count is unknown. */
export function nullShare(
  nullCount: number | null | undefined,
  count: number | null | undefined,
): number {
  if (!count || count <= 0 || !nullCount || nullCount <= 0) return 0;
  return Math.min(1, nullCount / count);
}
