import type autocannon from 'autocannon';

/** One target's measured run. Only 2xx answers count as served: a 409 or 429 is not a success. */
export interface Measurement {
  name: string;
  result: autocannon.Result;
  /** CPU seconds the target server used during the run (null off Linux). */
  serverCpuS: number | null;
  /** CPU seconds this process (autocannon, the load generator) used during the run. */
  generatorCpuS: number;
}

/** The goals from the performance issue. */
export const TARGETS = {
  getVsBareMin: 0.6,
  p99MaxMs: 20,
} as const;

export const okPerSecond = ({ result }: Measurement) => (result.duration > 0 ? result['2xx'] / result.duration : 0);

const ms = (value: number) => value.toFixed(2);
const corePercent = (cpuS: number, { result }: Measurement) => `${((100 * cpuS) / result.duration).toFixed(0)}%`;

/** Server CPU per answered request: what a request costs, whatever else the machine was doing. */
export const serverMicrosPerRequest = (m: Measurement) => {
  const answered = m.result['2xx'] + m.result.non2xx;
  return m.serverCpuS === null || answered === 0 ? null : (1e6 * m.serverCpuS) / answered;
};

function statusBreakdown({ result }: Measurement): string {
  const other = Object.entries(result.statusCodeStats)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${status}×${count}`);
  return other.length > 0 ? other.join(' ') : '-';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
      return index === 0 ? `${line}\n${widths.map((width) => '-'.repeat(width)).join('  ')}` : line;
    })
    .join('\n');
}

/** The results table; "vs bare" compares 2xx/s with the bare Fastify baseline measured in the same run. */
export function formatTable(measurements: Measurement[], baseline: Measurement | undefined): string {
  const header = [
    'target', '2xx req/s', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'non-2xx', 'errors', 'vs bare',
    'server CPU', 'µs CPU/req', 'loadgen CPU', 'non-2xx by status',
  ];
  const rows = measurements.map((m) => [
    m.name,
    okPerSecond(m).toFixed(0),
    ms(m.result.latency.p50),
    ms(m.result.latency.p99),
    ms(m.result.latency.max),
    String(m.result['2xx']),
    String(m.result.non2xx),
    String(m.result.errors),
    baseline && m !== baseline ? `${((100 * okPerSecond(m)) / okPerSecond(baseline)).toFixed(1)}%` : '-',
    m.serverCpuS === null ? 'n/a' : corePercent(m.serverCpuS, m),
    serverMicrosPerRequest(m)?.toFixed(0) ?? 'n/a',
    corePercent(m.generatorCpuS, m),
    statusBreakdown(m),
  ]);
  return table([header, ...rows]);
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

/** PASS/MISS lines against the targets, for the measurements present. */
export function formatTargets(get: Measurement | undefined, patch: Measurement | undefined, baseline: Measurement | undefined): string {
  const lines: string[] = [];
  if (get && baseline) {
    const ratio = okPerSecond(get) / okPerSecond(baseline);
    lines.push(`${verdict(ratio >= TARGETS.getVsBareMin)}  GET chapter ≥ ${TARGETS.getVsBareMin * 100}% of bare Fastify: ${(ratio * 100).toFixed(1)}%`);
  }
  for (const m of [get, patch]) {
    if (!m) continue;
    const p99 = m.result.latency.p99;
    lines.push(`${verdict(p99 < TARGETS.p99MaxMs)}  ${m.name} p99 < ${TARGETS.p99MaxMs} ms: ${ms(p99)} ms`);
  }
  return lines.join('\n');
}
