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

/** The regression guard (a floor, not a goal: simplicity wins every trade-off above it). */
export const TARGETS = {
  getVsBareMin: 0.45,
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

/** A target's figures in one round, with its 2xx/s as a share of the bare Fastify baseline of that same round. */
export interface RoundMeasurement extends Measurement {
  round: number;
  vsBare: number | null;
  /** The same share per CPU second of each server: bare's CPU per answer over this target's (steadier when noisy). */
  vsBareCpu: number | null;
}

/** The round whose figure is the median (the lower middle for an even count). */
export function medianBy<T>(items: T[], figure: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => figure(a) - figure(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** A share of the baseline's 2xx/s, for the one-line round summaries. */
export const percentOfBare = (ratio: number | null) => (ratio === null ? '-' : `${(ratio * 100).toFixed(1)}%`);

/** The results table: a row per target, each the round given (its "vs bare" is against that round's baseline). */
export function formatTable(measurements: RoundMeasurement[]): string {
  const header = [
    'target', 'round', '2xx req/s', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'non-2xx', 'errors', 'vs bare',
    'server CPU', 'µs CPU/req', 'loadgen CPU', 'non-2xx by status',
  ];
  const rows = measurements.map((m) => [
    m.name,
    String(m.round),
    okPerSecond(m).toFixed(0),
    ms(m.result.latency.p50),
    ms(m.result.latency.p99),
    ms(m.result.latency.max),
    String(m.result['2xx']),
    String(m.result.non2xx),
    String(m.result.errors),
    percentOfBare(m.vsBare),
    m.serverCpuS === null ? 'n/a' : corePercent(m.serverCpuS, m),
    serverMicrosPerRequest(m)?.toFixed(0) ?? 'n/a',
    corePercent(m.generatorCpuS, m),
    statusBreakdown(m),
  ]);
  return table([header, ...rows]);
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

/**
 * PASS/MISS lines against the targets, on the median over rounds: GET's share of bare Fastify (each round
 * against its own baseline) and each target's p99.
 */
export function formatTargets(get: RoundMeasurement[], patch: RoundMeasurement[]): string {
  const lines: string[] = [];
  const ratios = get.filter((m) => m.vsBare !== null);
  if (ratios.length > 0) {
    const ratio = medianBy(ratios, (m) => m.vsBare!).vsBare!;
    const all = ratios.map((m) => percentOfBare(m.vsBare)).join(', ');
    lines.push(`${verdict(ratio >= TARGETS.getVsBareMin)}  GET chapter ≥ ${TARGETS.getVsBareMin * 100}% of bare Fastify: ${percentOfBare(ratio)} (median of ${all})`);
    const perCpu = ratios.filter((m) => m.vsBareCpu !== null);
    if (perCpu.length > 0) {
      const cpuRatio = medianBy(perCpu, (m) => m.vsBareCpu!).vsBareCpu!;
      lines.push(`      per CPU second (bare's CPU per answer ÷ GET's, same rounds): ${percentOfBare(cpuRatio)} (median of ${perCpu.map((m) => percentOfBare(m.vsBareCpu)).join(', ')})`);
    }
  }
  for (const rounds of [get, patch]) {
    if (rounds.length === 0) continue;
    const p99 = medianBy(rounds, (m) => m.result.latency.p99).result.latency.p99;
    const all = rounds.map((m) => ms(m.result.latency.p99)).join(', ');
    lines.push(`${verdict(p99 < TARGETS.p99MaxMs)}  ${rounds[0]!.name} p99 < ${TARGETS.p99MaxMs} ms: ${ms(p99)} ms (median of ${all})`);
  }
  return lines.join('\n');
}
