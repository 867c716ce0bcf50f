import { useMemo, useState } from 'react';
import { useProfile } from '../../api/datasets/useProfile';
import type { ColumnProfile, Profile } from '../../api/types';
import { Badge, EmptyState, ErrorState, LoadingState } from '../../ui';
import { useDatasetContext } from '../datasets/datasetContext';
import { formatBytes, formatInteger, formatPercent, typeGlyph } from '../datasets/format.utils';
import { nullShare } from '../datasets/histogram.utils';
import { correlationSpec } from './charts';
import { ColumnDetail } from './ColumnDetail';
import {
  alertCountByColumn,
  groupAlerts,
  QUALITY_DIMENSIONS,
  scoreLabel,
  scoreTone,
  SEVERITY_LABEL,
  toPercentScore,
} from './profile.utils';
import { VegaChart } from './VegaChart';

export default function ProfileView() {
  const { dataset } = useDatasetContext();
  const profile = useProfile(dataset.id);
  if (profile.isPending) return <LoadingState label="Profiling columns…" />;
  if (profile.isError)
    return (
      <ErrorState
        error={profile.error}
        title="Could not load the profile"
        onRetry={() => void profile.refetch()}
      />
    );
  return <ProfileBody profile={profile.data} />;
}

function ProfileBody({ profile }: { profile: Profile }) {
  const columns = profile.columns ?? [];
  const [selected, setSelected] = useState<string | null>(columns[0]?.name ?? null);
  const alertsByColumn = useMemo(() => alertCountByColumn(profile.alerts ?? []), [profile.alerts]);
  const groups = useMemo(() => groupAlerts(profile.alerts ?? []), [profile.alerts]);
  const corrSpec = useMemo(
    () =>
      profile.correlations && profile.correlations.columns.length > 1
        ? correlationSpec(profile.correlations)
        : null,
    [profile.correlations],
  );
  const selectedColumn = columns.find((c) => c.name === selected) ?? null;

  const showColumn = (name: string) => {
    setSelected(name);
    requestAnimationFrame(() => document.getElementById('column-detail')?.focus());
  };

  const score = toPercentScore(profile.quality?.score);
  const tone = scoreTone(score);

  return (
    <div className="profile">
      <section className="profile__top">
        <div className={`score score--${tone}`} data-testid="quality-score">
          <div className="score__ring" style={{ ['--score' as string]: `${score ?? 0}` }}>
            <span className="score__value">{score == null ? '—' : Math.round(score)}</span>
          </div>
          <div>
            <h2 className="score__title">Quality score</h2>
            <p className="score__label">{scoreLabel(score)}</p>
          </div>
        </div>
        <ul className="dimensions" aria-label="Quality dimensions">
          {QUALITY_DIMENSIONS.map((d) => {
            const v = toPercentScore(profile.quality?.[d.key]);
            return (
              <li key={d.key} className="dimension" title={d.hint}>
                <div className="dimension__head">
                  <span>{d.label}</span>
                  <strong>{v == null ? '—' : Math.round(v)}</strong>
                </div>
                <div
                  className="meter"
                  role="meter"
                  aria-label={d.label}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={v ?? 0}
                >
                  <div
                    className={`meter__bar meter__bar--${scoreTone(v)}`}
                    style={{ width: `${v ?? 0}%` }}
                  />
                </div>
              </li>
            );
          })}
        </ul>
        <dl className="facts">
          <div>
            <dt>Rows</dt>
            <dd>{formatInteger(profile.row_count)}</dd>
          </div>
          <div>
            <dt>Columns</dt>
            <dd>{formatInteger(profile.column_count)}</dd>
          </div>
          <div>
            <dt>Duplicate rows</dt>
            <dd>{formatInteger(profile.duplicate_row_count ?? 0)}</dd>
          </div>
          {profile.memory_bytes != null && (
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(profile.memory_bytes)}</dd>
            </div>
          )}
        </dl>
      </section>

      <section className="panel" aria-labelledby="alerts-title">
        <h2 className="panel__title" id="alerts-title">
          Alerts
        </h2>
        {groups.length === 0 ? (
          <p className="muted">No quality alerts. Nice and clean.</p>
        ) : (
          <div className="alert-groups">
            {groups.map((g) => (
              <div key={g.group} className={`alert-group alert-group--${g.group}`}>
                <h3 className="alert-group__title">
                  {SEVERITY_LABEL[g.group]} <span className="muted">({g.alerts.length})</span>
                </h3>
                <ul>
                  {g.alerts.map((a, i) => (
                    <li key={`${a.kind}-${a.column ?? ''}-${i}`} className="alert-item">
                      {a.column ? (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => showColumn(a.column as string)}
                        >
                          {a.column}
                        </button>
                      ) : (
                        <span className="alert-item__scope">Dataset</span>
                      )}
                      <span className="alert-item__msg">{a.message}</span>
                      <Badge>{a.kind}</Badge>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        )}
      </section>

      <section className="panel columns-panel" aria-labelledby="columns-title">
        <h2 className="panel__title" id="columns-title">
          Columns
        </h2>
        {columns.length === 0 ? (
          <EmptyState title="No columns profiled" />
        ) : (
          <div className="columns-split">
            <ul className="column-list" aria-label="Columns">
              {columns.map((c) => (
                <ColumnListItem
                  key={c.name}
                  col={c}
                  active={c.name === selected}
                  alerts={alertsByColumn.get(c.name) ?? 0}
                  onSelect={() => setSelected(c.name)}
                />
              ))}
            </ul>
            <div id="column-detail" className="column-detail-wrap" tabIndex={-1} aria-live="polite">
              {selectedColumn ? (
                <ColumnDetail key={selectedColumn.name} col={selectedColumn} />
              ) : (
                <p className="muted">Pick a column.</p>
              )}
            </div>
          </div>
        )}
      </section>

      {corrSpec && profile.correlations && (
        <section className="panel" aria-labelledby="corr-title">
          <h2 className="panel__title" id="corr-title">
            Correlations <span className="muted">({profile.correlations.method})</span>
          </h2>
          <VegaChart
            spec={corrSpec}
            label="Correlation heatmap between numeric columns"
            height={200}
          />
        </section>
      )}

      {profile.hierarchies && profile.hierarchies.length > 0 && (
        <section className="panel" aria-labelledby="hier-title">
          <h2 className="panel__title" id="hier-title">
            Hierarchies
          </h2>
          <ul className="hierarchies">
            {profile.hierarchies.map((h, i) => {
              const levels = h.levels ?? h.columns ?? [];
              return (
                <li key={i}>
                  {h.name && <strong>{h.name}: </strong>}
                  {levels.length > 0 ? levels.join(' › ') : JSON.stringify(h)}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}

function ColumnListItem({
  col,
  active,
  alerts,
  onSelect,
}: {
  col: ColumnProfile;
  active: boolean;
  alerts: number;
  onSelect: () => void;
}) {
  const share = nullShare(col.null_count, col.count);
  return (
    <li>
      <button
        type="button"
        className={`column-item${active ? ' column-item--active' : ''}`}
        aria-current={active || undefined}
        onClick={onSelect}
      >
        <span className={`typeglyph typeglyph--${col.type}`} aria-hidden="true">
          {typeGlyph(col.type)}
        </span>
        <span className="column-item__name">{col.name}</span>
        <span className="column-item__meta">
          {col.semantic_type ?? col.type}
          {share > 0 ? ` · ${formatPercent(share)} null` : ''}
        </span>
        {alerts > 0 && (
          <Badge tone="warn" title={`${alerts} alert${alerts > 1 ? 's' : ''}`}>
            {alerts}
          </Badge>
        )}
      </button>
    </li>
  );
}
