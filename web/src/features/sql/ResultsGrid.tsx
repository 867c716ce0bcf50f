import { useMemo, useRef } from 'react';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Cell } from '../../api/types';
import { formatCell } from '../datasets/format.utils';
import { numericColumns } from './results.utils';

const ROW_HEIGHT = 30;

/** Query results (bounded by the server), virtualized with TanStack Virtual. */
export function ResultsGrid({ columns, rows }: { columns: string[]; rows: Cell[][] }) {
  const parentRef = useRef<HTMLDivElement>(null);
  const numeric = useMemo(() => numericColumns(columns.length, rows), [columns.length, rows]);
  const defs = useMemo<ColumnDef<Cell[]>[]>(
    () =>
      columns.map((name, i) => ({
        id: `${i}:${name}`,
        header: name,
        accessorFn: (row: Cell[]) => row[i],
        size: Math.min(320, Math.max(120, name.length * 8 + 40)),
        cell: (info) => {
          const v = info.getValue() as Cell;
          return v === null ? <span className="null">null</span> : formatCell(v);
        },
      })),
    [columns],
  );
  // TanStack Table's row model and TanStack Virtual are both designed for this: stable refs are
  // safe here because results are immutable once received.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns: defs, getCoreRowModel: getCoreRowModel() });
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Render a first screenful before the container is measured.
    initialRect: { width: 1000, height: 480 },
  });
  const width = table.getTotalSize();

  return (
    <div
      ref={parentRef}
      className="results"
      tabIndex={0}
      role="table"
      aria-label="Query results"
      aria-rowcount={rows.length + 1}
    >
      <div className="results__head" role="row" style={{ width }}>
        {table.getHeaderGroups()[0]?.headers.map((h) => (
          <div
            key={h.id}
            role="columnheader"
            className={`results__th${numeric[h.index] ? ' results__th--num' : ''}`}
            style={{ width: h.getSize() }}
          >
            {flexRender(h.column.columnDef.header, h.getContext())}
          </div>
        ))}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((vi) => {
          const row = tableRows[vi.index];
          if (!row) return null;
          return (
            <div
              key={row.id}
              role="row"
              className={`results__row${vi.index % 2 ? ' results__row--odd' : ''}`}
              style={{ transform: `translateY(${vi.start}px)`, height: ROW_HEIGHT, width }}
            >
              {row.getVisibleCells().map((c) => (
                <div
                  key={c.id}
                  role="cell"
                  className={`results__td${numeric[c.column.getIndex()] ? ' results__td--num' : ''}`}
                  style={{ width: c.column.getSize() }}
                >
                  {flexRender(c.column.columnDef.cell, c.getContext())}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
