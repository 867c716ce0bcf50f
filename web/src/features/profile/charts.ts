import type { VisualizationSpec } from 'vega-embed';
import type { ColumnProfile, Correlations } from '../../api/types';
import { correlationCells, histogramData } from './profile.utils';

export function histogramSpec(col: ColumnProfile, width = 420): VisualizationSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height: 160,
    // Field names follow Vega-Lite's binned convention (`<field>` and `<field>_end`).
    data: { values: histogramData(col.histogram) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'bin', bin: { binned: true }, type: 'quantitative', title: col.name },
      x2: { field: 'bin_end' },
      y: { field: 'count', type: 'quantitative', title: 'Rows' },
    },
  } as VisualizationSpec;
}

export function correlationSpec(c: Correlations): VisualizationSpec {
  const n = c.columns.length;
  const size = Math.max(160, Math.min(520, n * 44));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: size,
    height: size,
    data: { values: correlationCells(c) },
    encoding: {
      x: { field: 'x', type: 'nominal', title: null, sort: c.columns, axis: { labelAngle: -40 } },
      y: { field: 'y', type: 'nominal', title: null, sort: c.columns },
    },
    layer: [
      {
        mark: { type: 'rect', tooltip: true },
        encoding: {
          color: {
            field: 'r',
            type: 'quantitative',
            title: `${c.method} r`,
            scale: { domain: [-1, 1], scheme: 'redblue', reverse: true },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'r', type: 'quantitative', format: '.2f' },
          color: { condition: { test: 'abs(datum.r) > 0.6', value: 'white' }, value: '#1e293b' },
        },
      },
    ],
  } as VisualizationSpec;
}
