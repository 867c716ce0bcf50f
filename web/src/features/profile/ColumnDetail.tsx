import { useMemo } from 'react';
import type { ColumnProfile } from '../../api/types';
import { formatCell, formatInteger, formatNumber, formatPercent } from '../datasets/format.utils';
import { nullShare } from '../datasets/histogram.utils';
import { histogramSpec } from './charts';
import { hasNumericStats, toPercentScore } from './profile.utils';
import { VegaChart } from './VegaChart';

function show(v: number | string | null | undefined): string {
  if (v == null) return '—';
  return typeof v === 'number' ? formatNumber(v) : v;
}

export function ColumnDetail({ col }: { col: ColumnProfile }) {
  const spec = useMemo(() => (col.histogram?.counts?.length ? histogramSpec(col) : null), [col]);
  const topMax = Math.max(1, ...(col.top_values ?? []).map((t) => t.count));
  const stats: [string, string][] = [
    ['Type', `${col.type}${col.semantic_type ? ` · ${col.semantic_type}` : ''}`],
    ['Values', formatInteger(col.count)],
    [
      'Nulls',
      `${formatInteger(col.null_count)} (${formatPercent(nullShare(col.null_count, col.count))})`,
    ],
    ['Distinct', formatInteger(col.distinct_count ?? null)],
    ['Min', show(col.min)],
    ['Max', show(col.max)],
  ];
  if (hasNumericStats(col)) {
    stats.push(['Mean', show(col.mean)], ['Std dev', show(col.std)]);
    stats.push(
      ['25%', show(col.quantiles?.p25)],
      ['Median', show(col.quantiles?.p50)],
      ['75%', show(col.quantiles?.p75)],
    );
  }
  const q = col.quality;
  return (
    <article className="column-detail" aria-labelledby="column-detail-title">
      <h3 id="column-detail-title" className="column-detail__title">
        {col.name}
      </h3>
      <dl className="stats">
        {stats.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {q && (
        <p className="muted column-detail__quality">
          Completeness {show(toPercentScore(q.completeness))} · Validity{' '}
          {show(toPercentScore(q.validity))} · Consistency {show(toPercentScore(q.consistency))}
        </p>
      )}
      {spec && <VegaChart spec={spec} label={`Distribution of ${col.name}`} height={190} />}
      {col.top_values && col.top_values.length > 0 && (
        <div className="topvalues">
          <h4 className="topvalues__title">Top values</h4>
          <ul>
            {col.top_values.map((t, i) => (
              <li key={i} className="topvalue">
                <span className="topvalue__label" title={String(t.value)}>
                  {t.value === null ? <em>null</em> : formatCell(t.value) || <em>(empty)</em>}
                </span>
                <span className="topvalue__bar" aria-hidden="true">
                  <span style={{ width: `${(t.count / topMax) * 100}%` }} />
                </span>
                <span className="topvalue__count">{formatInteger(t.count)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}
