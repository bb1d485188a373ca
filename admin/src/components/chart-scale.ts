/**
 * The top of a chart's y axis: a little above the data, so $0.0004 fills the chart rather than lying flat on a
 * $0–$1 axis. Counts keep at least 1 (a fraction of a request means nothing); an empty series gets 0–1.
 */
export function yAxisTop(max: number, integers: boolean): number {
  if (!(max > 0)) return 1;
  return integers ? Math.max(1, max * 1.1) : max * 1.1;
}
