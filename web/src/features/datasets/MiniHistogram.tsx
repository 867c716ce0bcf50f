import { histogramBars } from './histogram.utils';

/** A tiny inline SVG histogram for column headers. Decorative: the numbers are in the profile. */
export function MiniHistogram({
  counts,
  width = 96,
  height = 22,
}: {
  counts: readonly number[];
  width?: number;
  height?: number;
}) {
  const bars = histogramBars(counts, width, height);
  if (bars.length === 0)
    return <span className="minihist minihist--empty" style={{ width, height }} />;
  return (
    <svg
      className="minihist"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      focusable="false"
    >
      {bars.map((b, i) => (
        <rect key={i} x={b.x} y={b.y} width={b.width} height={b.height} rx={0.5} />
      ))}
    </svg>
  );
}
