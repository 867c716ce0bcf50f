import type { ColumnProfile, DatasetColumn } from '../../api/types';
import { MiniHistogram } from './MiniHistogram';
import { formatPercent, typeGlyph, typeLabel } from './format.utils';
import { nullShare } from './histogram.utils';

export function ColumnHeader({
  column,
  profile,
  sortDirection,
  onSort,
}: {
  column: DatasetColumn;
  profile: ColumnProfile | undefined;
  sortDirection: 'asc' | 'desc' | null;
  onSort: () => void;
}) {
  const share = profile ? nullShare(profile.null_count, profile.count) : null;
  const semantic = column.semantic_type ?? profile?.semantic_type;
  const sortLabel =
    sortDirection === 'asc'
      ? 'sorted ascending'
      : sortDirection === 'desc'
        ? 'sorted descending'
        : 'not sorted';
  return (
    <div className="colhead">
      <button
        type="button"
        className="colhead__sort"
        onClick={onSort}
        title={`Sort by ${column.name} (${sortLabel})`}
      >
        <span
          className={`typeglyph typeglyph--${column.type}`}
          aria-label={typeLabel(column.type)}
          role="img"
        >
          {typeGlyph(column.type)}
        </span>
        <span className="colhead__name">{column.name}</span>
        <span
          className={`colhead__arrow${sortDirection ? ' colhead__arrow--on' : ''}`}
          aria-hidden="true"
        >
          {sortDirection === 'desc' ? '↓' : sortDirection === 'asc' ? '↑' : '↕'}
        </span>
      </button>
      <div className="colhead__meta">
        <span className="colhead__semantic">{semantic ?? column.type}</span>
        {share != null && (
          <span
            className={`colhead__nulls${share > 0.2 ? ' colhead__nulls--high' : ''}`}
            title="Share of empty values"
          >
            {formatPercent(share)} null
          </span>
        )}
      </div>
      <div className="colhead__chart">
        {profile?.histogram?.counts?.length ? (
          <MiniHistogram counts={profile.histogram.counts} />
        ) : null}
      </div>
    </div>
  );
}
