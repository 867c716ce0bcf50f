import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { datasetKeys } from '../../api/datasets/keys';
import { useRowsPages, warmRowsPages } from '../../api/datasets/useRowsPages';
import type { Cell, ColumnProfile, Dataset, DatasetColumn, RowsPage } from '../../api/types';
import { afterNextPaint, Button, InlineError } from '../../ui';
import { ColumnHeader } from './ColumnHeader';
import { formatCell, formatInteger, isNumericType } from './format.utils';
import {
  ariaSort,
  indexColumnWidth,
  columnWidth,
  nextSort,
  pageOf,
  PAGE_SIZE,
  ROW_HEIGHT,
  scrollGeometry,
  type SortState,
} from './grid.utils';
import { useGridWindow } from './useGridWindow';

const HEADER_HEIGHT = 88;

type Row = Cell[];

interface GridColumn {
  id: string;
  size: number;
  meta: DatasetColumn;
}

const orderCache = new WeakMap<RowsPage, number[]>();

/** Index of each dataset column in a page's rows (the page names its columns). */
function columnOrder(page: RowsPage, columns: readonly DatasetColumn[]): number[] {
  let order = orderCache.get(page);
  if (!order) {
    const names = Array.isArray(page.columns) ? page.columns : [];
    order = columns.map((c, i) => {
      const at = names.indexOf(c.name);
      return at >= 0 ? at : i;
    });
    orderCache.set(page, order);
  }
  return order;
}

/**
 * The dataset grid: server-paged rows (pages of 200, cached per dataset version and sort),
 * rendered through a custom row window that keeps scrolling smooth on tens of millions of
 * rows (see grid.utils.ts for the scaled scrollbar and useGridWindow.ts for wheel, keys and
 * which pages are fetched or warmed ahead). The server sorts. (No table library here: the
 * grid only needs fixed column widths, and it is on the first screen's bundle.) Memoized: the
 * page around it re-rendering (the breadcrumb's project arriving) leaves the rows alone.
 */
export const DataGrid = memo(function DataGrid({
  dataset,
  profiles,
  onRowsShown,
}: {
  dataset: Dataset;
  profiles: Map<string, ColumnProfile>;
  /** Called once the rows in view have been shown (drawn) for the first time. */
  onRowsShown?: () => void;
}) {
  const qc = useQueryClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [sort, setSort] = useState<SortState>(null);
  const [total, setTotal] = useState(dataset.row_count);

  const leafColumns = useMemo<GridColumn[]>(
    () => dataset.columns.map((c) => ({ id: c.name, size: columnWidth(c.name, c.type), meta: c })),
    [dataset.columns],
  );
  const indexWidth = indexColumnWidth(total);
  const totalWidth = indexWidth + leafColumns.reduce((sum, c) => sum + c.size, 0);

  const pageKey = (page: number) =>
    datasetKeys.rowsPage(dataset.id, dataset.version, sort, page, PAGE_SIZE);
  const isLoaded = (page: number) => qc.getQueryData(pageKey(page)) !== undefined;

  const {
    window: win,
    pages,
    needed,
    prefetch,
    visible,
    scrollToRow,
  } = useGridWindow(scrollRef, total, ROW_HEIGHT, HEADER_HEIGHT, PAGE_SIZE, {
    isLoaded,
    onJump: (wanted) =>
      void warmRowsPages(qc, dataset.id, dataset.version, sort, wanted, PAGE_SIZE),
    loadWhileDragging: (wanted, signal) =>
      warmRowsPages(qc, dataset.id, dataset.version, sort, wanted, PAGE_SIZE, signal),
  });
  // The pages with the rows in view go first; overscan pages once those are in.
  const neededReady = needed.every(isLoaded);
  const results = useRowsPages(
    dataset.id,
    dataset.version,
    sort,
    pages,
    PAGE_SIZE,
    (page) => neededReady || needed.includes(page),
  );

  const loaded = new Map<number, RowsPage>();
  pages.forEach((p, i) => {
    const data = results[i]?.data;
    if (data) loaded.set(p, data);
  });
  const pageError = results.find((r) => r.isError)?.error ?? null;
  const anyLoading = results.some((r) => r.isFetching);

  // The first rows in view are on screen (their frame drawn, not just rendered): until then
  // nothing else is asked for, so that neither requests nor their answers compete with it.
  const [rowsShown, setRowsShown] = useState(false);
  useEffect(() => {
    if (!neededReady || rowsShown) return undefined;
    return afterNextPaint(() => setRowsShown(true));
  }, [neededReady, rowsShown]);

  // Once the window is loaded, warm the next pages in the scroll direction (and one behind),
  // so that wheel, keys and PageDown find their rows already there.
  const windowReady = pages.every(isLoaded);
  const prefetchKey = windowReady && rowsShown ? prefetch.join(',') : '';
  const { id: datasetId, version } = dataset;
  useEffect(() => {
    if (!prefetchKey) return;
    void warmRowsPages(qc, datasetId, version, sort, prefetchKey.split(',').map(Number), PAGE_SIZE);
  }, [qc, prefetchKey, datasetId, version, sort]);

  // What was held back for the first rows (the header statistics) may go.
  useEffect(() => {
    if (rowsShown) onRowsShown?.();
  }, [rowsShown, onRowsShown]);

  const firstTotal = results.find((r) => r.data)?.data?.total;
  // The server's count wins over the dataset record's (adjusting state while rendering).
  if (typeof firstTotal === 'number' && firstTotal !== total) setTotal(firstTotal);

  const getRow = (row: number): { cells: Row; order: number[] } | undefined => {
    const { page, index } = pageOf(row, PAGE_SIZE);
    const data =
      loaded.get(page) ??
      qc.getQueryData<RowsPage>(
        datasetKeys.rowsPage(dataset.id, dataset.version, sort, page, PAGE_SIZE),
      );
    const cells = data?.rows[index];
    return data && cells ? { cells, order: columnOrder(data, dataset.columns) } : undefined;
  };

  const goToRow = (row: number) => {
    if (total === 0) return;
    scrollToRow(Math.min(total, Math.max(1, Math.floor(row))) - 1);
  };

  const onSort = (column: string) => {
    setSort((s) => nextSort(s, column));
    scrollToRow(0);
  };

  const { contentHeight, scaled } = scrollGeometry(total);
  const rows: number[] = [];
  for (let r = win.start; r <= win.end; r += 1) rows.push(r);

  return (
    <div className="grid-wrap">
      {pageError != null && (
        <div className="grid-wrap__error">
          <InlineError error={pageError} />
          <Button size="sm" onClick={() => results.forEach((r) => r.isError && void r.refetch())}>
            Retry
          </Button>
        </div>
      )}
      <div
        ref={scrollRef}
        className="grid"
        role="grid"
        aria-label={`${dataset.name} rows`}
        aria-rowcount={total + 1}
        aria-colcount={leafColumns.length + 1}
        aria-busy={anyLoading || undefined}
        tabIndex={0}
        data-testid="data-grid"
      >
        <div
          className="grid__header"
          role="row"
          aria-rowindex={1}
          style={{ width: totalWidth, height: HEADER_HEIGHT }}
        >
          <div className="grid__corner" role="columnheader" style={{ width: indexWidth }}>
            #
          </div>
          {leafColumns.map((h) => {
            const meta = h.meta;
            const dir = sort?.column === meta.name ? sort.direction : null;
            return (
              <div
                key={h.id}
                className="grid__th"
                role="columnheader"
                aria-sort={ariaSort(sort, meta.name)}
                style={{ width: h.size }}
              >
                <ColumnHeader
                  column={meta}
                  profile={profiles.get(meta.name)}
                  sortDirection={dir}
                  onSort={() => onSort(meta.name)}
                />
              </div>
            );
          })}
        </div>
        <div className="grid__body" style={{ height: contentHeight, width: totalWidth }}>
          {rows.map((r, i) => {
            const row = getRow(r);
            return (
              <div
                key={r}
                className={`grid__row${r % 2 ? ' grid__row--odd' : ''}`}
                role="row"
                aria-rowindex={r + 2}
                style={{
                  transform: `translateY(${win.offsetTop + i * ROW_HEIGHT}px)`,
                  height: ROW_HEIGHT,
                  width: totalWidth,
                }}
              >
                <div className="grid__index" role="rowheader" style={{ width: indexWidth }}>
                  {r + 1}
                </div>
                {leafColumns.map((col, ci) => {
                  const meta = col.meta;
                  const value = row?.cells[row.order[ci] ?? ci];
                  return (
                    <div
                      key={col.id}
                      role="gridcell"
                      className={`grid__td${isNumericType(meta.type) ? ' grid__td--num' : ''}${value === null ? ' grid__td--null' : ''}`}
                      style={{ width: col.size }}
                    >
                      {row === undefined ? (
                        <span className="skeleton" />
                      ) : value === null ? (
                        'null'
                      ) : (
                        formatCell(value, meta.type)
                      )}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      <div className="grid-footer" aria-live="polite">
        <span data-testid="grid-range">
          {total === 0
            ? 'No rows'
            : `Rows ${formatInteger(visible.first + 1)}–${formatInteger(visible.last + 1)} of ${formatInteger(total)}`}
        </span>
        {sort && (
          <span>
            Sorted by <strong>{sort.column}</strong>{' '}
            {sort.direction === 'asc' ? 'ascending' : 'descending'}
          </span>
        )}
        <form
          className="grid-footer__goto"
          onSubmit={(e) => {
            e.preventDefault();
            const value = Number(new FormData(e.currentTarget).get('row'));
            if (Number.isFinite(value) && value > 0) goToRow(value);
          }}
        >
          <label htmlFor={`goto-${dataset.id}`}>Go to row</label>
          <input
            id={`goto-${dataset.id}`}
            name="row"
            className="input input--sm grid-footer__input"
            type="number"
            min={1}
            max={Math.max(1, total)}
            inputMode="numeric"
          />
        </form>
        {scaled && <span className="muted">Scrollbar scaled for {formatInteger(total)} rows</span>}
        {anyLoading && <span className="muted">Loading rows…</span>}
      </div>
    </div>
  );
});
