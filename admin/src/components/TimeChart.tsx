import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import { yAxisTop } from './chart-scale.js';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

const HEIGHT = 180;
const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 1e8, 1e9];

/**
 * A uPlot time-series chart (x in Unix seconds, shown in local time) with an accessible twin: a caption with the
 * range's total and a data table of the buckets that saw activity, since a canvas says nothing to a screen reader.
 */
export function TimeChart(props: {
  title: string;
  total: string;
  t: number[];
  series: ChartSeries[];
  format: (value: number) => string;
  /** Fixed y maximum (e.g. 1 for ratios); otherwise the data decides. */
  yMax?: number;
  /** Counts: ticks only at whole numbers. */
  integers?: boolean;
}) {
  const { title, total, t, series, format, yMax, integers } = props;
  const plotRef = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    const element = plotRef.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(240, element.clientWidth),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, yMax ?? yAxisTop(max, integers ?? false)] } },
      axes: [
        { stroke: '#444', grid: { stroke: '#e5e5e5' } },
        {
          stroke: '#444', grid: { stroke: '#e5e5e5' }, size: 80, values: (_u, splits) => splits.map((v) => format(v)),
          ...(integers && { incrs: INTEGER_STEPS }),
        },
      ],
      series: [
        { label: 'Time' },
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, fill: `${s.color}22`, points: { show: true, size: 4 }, value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)) })),
      ],
    };
    const plot = new uPlot(options, [t, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, element.clientWidth), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [t, series, format, yMax, integers]);

  const active = t
    .map((time, i) => ({ time, values: series.map((s) => s.values[i] ?? null) }))
    .filter((row) => row.values.some((v) => v !== null && v !== 0));

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption>
        <span id={`${id}-title`} className="chart-title">
          {title}
        </span>
        <span className="chart-total">{total}</span>
      </figcaption>
      <div ref={plotRef} className="chart-plot" aria-hidden="true" />
      <details>
        <summary>Data table ({active.length} active {active.length === 1 ? 'period' : 'periods'})</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title} per period</caption>
            <thead>
              <tr>
                <th scope="col">Period starting</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {active.map((row) => (
                <tr key={row.time}>
                  <th scope="row">{new Date(row.time * 1000).toLocaleString()}</th>
                  {row.values.map((v, i) => (
                    <td key={series[i]!.label}>{v === null ? '–' : format(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
