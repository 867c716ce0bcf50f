import { useEffect, useRef, useState } from 'react';
import type { VisualizationSpec } from 'vega-embed';
import { Spinner } from '../../ui';
import { errorMessage } from '../../api/errors';

export const ACCENT = '#4f46e5';

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  background: 'transparent',
  view: { stroke: null },
  axis: {
    labelColor: '#475569',
    titleColor: '#334155',
    gridColor: '#e2e8f0',
    domainColor: '#cbd5e1',
    tickColor: '#cbd5e1',
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
  },
  legend: { labelColor: '#475569', titleColor: '#334155', labelFontSize: 11, titleFontSize: 11 },
  mark: { color: ACCENT },
};

/** Renders a Vega-Lite spec; vega-embed (~300 KB gz) loads only when the first chart mounts. */
export function VegaChart({
  spec,
  label,
  height,
}: {
  spec: VisualizationSpec;
  label: string;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let finalize: (() => void) | null = null;
    // The server's Content-Security-Policy forbids eval: Vega evaluates expressions with
    // its interpreter instead of compiling them to functions.
    Promise.all([import('vega-embed'), import('vega-interpreter')])
      .then(([{ default: embed }, { expressionInterpreter }]) => {
        if (cancelled || !ref.current) return undefined;
        return embed(ref.current, { ...spec, config: CONFIG } as VisualizationSpec, {
          actions: false,
          renderer: 'svg',
          ast: true,
          expr: expressionInterpreter,
        }).then((result) => {
          if (cancelled) result.finalize();
          else {
            finalize = () => result.finalize();
            setState('ready');
          }
        });
      })
      .catch((e: unknown) => {
        if (!cancelled) {
          setError(errorMessage(e));
          setState('error');
        }
      });
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec]);

  return (
    <figure className="chart" aria-label={label} style={height ? { minHeight: height } : undefined}>
      {state === 'loading' && (
        <div className="chart__loading">
          <Spinner label="Loading chart" />
        </div>
      )}
      {state === 'error' && <p className="chart__error">Chart unavailable: {error}</p>}
      <div ref={ref} className="chart__canvas" />
    </figure>
  );
}
