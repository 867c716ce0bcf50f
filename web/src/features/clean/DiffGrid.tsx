import { useMemo, useState } from 'react';
import type { Cell, CleanPreview } from '../../api/types';
import { formatCell } from '../datasets/format.utils';
import { buildDiff } from './diff.utils';

function CellText({ value }: { value: Cell | undefined }) {
  if (value === undefined) return <span className="muted">—</span>;
  if (value === null) return <span className="null">null</span>;
  return <>{formatCell(value)}</>;
}

/**
 * The changed rows, before and after: a changed cell shows the old value struck and the new
 * one highlighted; a removed row is struck through.
 */
export function DiffGrid({ preview }: { preview: CleanPreview }) {
  const [onlyChanged, setOnlyChanged] = useState(preview.before.columns.length > 8);
  const diff = useMemo(() => buildDiff(preview, { onlyChanged }), [preview, onlyChanged]);
  const shown = diff.rows.length;

  if (shown === 0) {
    return (
      <p className="muted diff__none">No row changes: the operations leave the data as it is.</p>
    );
  }
  return (
    <div className="diff">
      <div className="diff__bar">
        <span className="muted" data-testid="diff-count">
          {shown < preview.affected_rows
            ? `First ${shown} of ${preview.affected_rows.toLocaleString('en-US')} affected rows`
            : `${shown} affected row${shown === 1 ? '' : 's'}`}
        </span>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={onlyChanged}
            onChange={(e) => setOnlyChanged(e.target.checked)}
          />
          Changed columns only
        </label>
      </div>
      <div
        className="diff__scroll"
        tabIndex={0}
        role="region"
        aria-label="Changed rows, before and after"
      >
        <table className="diff__table">
          <thead>
            <tr>
              <th scope="col" className="diff__rowhead">
                <span className="visually-hidden">Row</span>
              </th>
              {diff.columns.map((c) => (
                <th
                  key={c.name}
                  scope="col"
                  className={
                    [c.changed && 'diff__th--changed', !c.inAfter && 'diff__th--dropped']
                      .filter(Boolean)
                      .join(' ') || undefined
                  }
                >
                  {c.name}
                  {!c.inBefore && <span className="diff__tag">new</span>}
                  {!c.inAfter && <span className="diff__tag">dropped</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {diff.rows.map((r) => (
              <tr
                key={r.index}
                className={r.removed ? 'diff__row--removed' : undefined}
                data-testid="diff-row"
                data-removed={r.removed || undefined}
              >
                <th scope="row" className="diff__rowhead">
                  {r.removed ? (
                    <span className="diff__tag diff__tag--bad">removed</span>
                  ) : (
                    r.index + 1
                  )}
                </th>
                {r.cells.map((cell, i) => (
                  <td
                    key={diff.columns[i]?.name ?? i}
                    className={cell.changed && !r.removed ? 'diff__cell--changed' : undefined}
                    data-changed={cell.changed || undefined}
                  >
                    {r.removed ? (
                      <del>
                        <CellText value={cell.before} />
                      </del>
                    ) : cell.changed ? (
                      <>
                        {cell.before !== undefined && (
                          <del className="diff__old">
                            <span className="visually-hidden">was </span>
                            <CellText value={cell.before} />
                          </del>
                        )}
                        <ins className="diff__new">
                          <span className="visually-hidden">now </span>
                          <CellText value={cell.after} />
                        </ins>
                      </>
                    ) : (
                      <CellText value={cell.after === undefined ? cell.before : cell.after} />
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
