import { useMemo, useState } from 'react';
import type { AdminStats, StatsRange } from '../../../shared/schemas/admin.js';
import { LoadError } from '../components/StatusLine.js';
import { TimeChart, type ChartSeries } from '../components/TimeChart.js';
import { formatInt, formatMs, formatPercent, formatUsd } from '../format.js';
import { useLoader } from '../session-context.js';
import { api } from '../session.js';

const RANGES: Array<{ id: StatsRange; label: string }> = [
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
];

const COLORS = { blue: '#1d4ed8', red: '#b91c1c', amber: '#b45309', green: '#15803d', purple: '#7e22ce', grey: '#525252' };
const ratio = (v: number) => formatPercent(v);

interface ChartSpec {
  title: string;
  total: string;
  series: ChartSeries[];
  format: (v: number) => string;
  yMax?: number;
  integers?: boolean;
}

function chartsOf(stats: AdminStats): ChartSpec[] {
  const { series: s, totals } = stats;
  return [
    {
      title: 'Requests', total: `${formatInt(totals.requests)} requests`, format: formatInt, integers: true,
      series: [
        { label: 'Requests', values: s.requests, color: COLORS.blue },
        { label: 'Client errors (4xx)', values: s.clientErrors, color: COLORS.amber },
        { label: 'Server errors (5xx)', values: s.serverErrors, color: COLORS.red },
      ],
    },
    {
      title: 'Refused (quota, rate limit)', total: `${formatInt(totals.quota429)} over quota, ${formatInt(totals.rateLimited429)} rate limited`, format: formatInt, integers: true,
      series: [
        { label: 'Quota exceeded', values: s.quota429, color: COLORS.purple },
        { label: 'Rate limited', values: s.rateLimited429, color: COLORS.amber },
      ],
    },
    {
      title: 'AI calls', total: `${formatInt(totals.aiCalls)} calls, ${formatInt(totals.cachedCalls)} from cache`, format: formatInt, integers: true,
      series: [
        { label: 'AI calls', values: s.aiCalls, color: COLORS.green },
        { label: 'Cache hits', values: s.cachedCalls, color: COLORS.grey },
      ],
    },
    {
      title: 'Tokens', total: `${formatInt(totals.tokens)} tokens`, format: formatInt, integers: true,
      series: [{ label: 'Tokens', values: s.tokens, color: COLORS.blue }],
    },
    {
      title: 'Cost', total: formatUsd(totals.costUsd), format: formatUsd,
      series: [{ label: 'Cost (USD)', values: s.costUsd, color: COLORS.green }],
    },
    {
      title: 'Cache hit ratio', total: formatPercent(totals.cacheHitRatio), format: ratio, yMax: 1,
      series: [{ label: 'Cache hit ratio', values: s.cacheHitRatio, color: COLORS.grey }],
    },
    {
      title: 'p95 latency', total: formatMs(totals.p95LatencyMs), format: formatMs,
      series: [{ label: 'p95 latency', values: s.p95LatencyMs, color: COLORS.red }],
    },
  ];
}

export function OverviewView() {
  const [range, setRange] = useState<StatsRange>('24h');
  const { data, error, loading, reload } = useLoader(() => api.adminStats({ query: { range } }), [range]);
  const charts = useMemo(() => (data ? chartsOf(data) : []), [data]);

  return (
    <>
      <div className="toolbar">
        <fieldset className="segmented">
          <legend>Range</legend>
          {RANGES.map((r) => (
            <label key={r.id}>
              <input type="radio" name="range" value={r.id} checked={range === r.id} onChange={() => setRange(r.id)} />
              {r.label}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={reload} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {error && <LoadError message={error} onRetry={reload} />}
      {data && (
        <>
          <dl className="tiles" aria-label="Totals for the range">
            <Tile label="Requests" value={formatInt(data.totals.requests)} />
            <Tile label="AI calls" value={formatInt(data.totals.aiCalls)} />
            <Tile label="Tokens" value={formatInt(data.totals.tokens)} />
            <Tile label="Cost" value={formatUsd(data.totals.costUsd)} />
            <Tile label="Cache hit ratio" value={formatPercent(data.totals.cacheHitRatio)} />
            <Tile label="Quota exceeded" value={formatInt(data.totals.quota429)} />
            <Tile label="Rate limited" value={formatInt(data.totals.rateLimited429)} />
            <Tile label="Server errors" value={formatInt(data.totals.serverErrors)} />
            <Tile label="p95 latency" value={formatMs(data.totals.p95LatencyMs)} />
          </dl>
          <p className="hint">
            {formatStep(data.stepS)} per point, times in your time zone. Requests include every answer of this server; AI calls come
            from the usage ledger.
          </p>
          <div className="charts">
            {charts.map((chart) => (
              <TimeChart key={`${data.range}-${chart.title}`} t={data.series.t} {...chart} />
            ))}
          </div>
        </>
      )}
    </>
  );
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="tile">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

const formatStep = (stepS: number) => (stepS >= 3_600 ? `${stepS / 3_600} h` : `${stepS / 60} min`);
